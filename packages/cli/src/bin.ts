import { parseArgs } from 'node:util';
import { SyncError } from '@syncline/errors';
import { loadConfig } from './config/index.js';
import { runDev } from './dev/index.js';

const USAGE = `syncline <command>

  dev [--config syncline.config.ts]   start Postgres and the stack for development (Ctrl-C stops it)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'dev': {
      const config = await loadConfig(values.config);
      process.stdout.write('Syncline dev stack starting…\n');
      const stack = await runDev({ config });
      process.stdout.write(`\nReady. Postgres: ${stack.databaseUrl}\nPress Ctrl-C to stop.\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      process.stdout.write('\nStopping…\n');
      await stack.stop();
      process.stdout.write('Stopped.\n');
      return 0;
    }
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (SyncError.is(e)) process.stderr.write(`✗ ${e.code}: ${e.message}\n`);
    else process.stderr.write(`✗ ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);

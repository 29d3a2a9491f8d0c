import { parseArgs } from 'node:util';
import { createLogger, SyncError } from '@syncline/errors';
import { loadPowerSyncConfig } from './config/index.js';
import { createSyncServer } from './server.js';

const USAGE = `syncline-sync-server --config powersync.yaml [--port 8080] [--host 127.0.0.1] [--manage-publication] [--no-replicate] [--no-compression | --gzip] [--no-bson] [--compact-after N]

--compact-after N: compact a bucket once it holds more than N dead ops (superseded or removed) and more
dead ops than live rows (default 1000).

Reads the same powersync.yaml as the official PowerSync Service (replication.connections[0].uri,
client_auth.jwks_uri / audience, sync_rules.path, port, !env tags).`;

/** Runs the sync server CLI until SIGINT/SIGTERM. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string' },
      host: { type: 'string' },
      'manage-publication': { type: 'boolean' },
      'no-replicate': { type: 'boolean' },
      'no-compression': { type: 'boolean' },
      gzip: { type: 'boolean' },
      'compact-after': { type: 'string' },
      'no-bson': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.config) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const log = createLogger({ name: 'sync-server' });
  const config = loadPowerSyncConfig(values.config);
  const server = createSyncServer({
    ...config,
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.host ? { host: values.host } : {}),
    managePublication: values['manage-publication'] ?? false,
    replicate: !values['no-replicate'],
    ...(values['no-compression'] ? { compression: false } : values.gzip ? { compression: true } : {}),
    ...(values['compact-after']
      ? { compaction: { minDeadOps: Number(values['compact-after']), deadToLiveRatio: 1 } }
      : {}),
    ...(values['no-bson'] ? { bson: false } : {}),
    logger: log,
  });
  await server.start();
  process.stdout.write(`sync server ready at ${server.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(SyncError.is(e) ? `✗ ${e.code}: ${e.message}\n` : `✗ ${(e as Error).stack}\n`);
    process.exitCode = 1;
  },
);

import { parseArgs } from 'node:util';
import { SyncError } from '@syncline/errors';
import { checkCommand } from './check/index.js';
import { devCommand } from './dev/command.js';
import { doctorCommand } from './doctor/command.js';
import { generateCommand } from './generate/index.js';
import { processIo } from './shared/report.js';
import { slotsCommand } from './slots/index.js';
import { statusCommand } from './status/index.js';

const USAGE = `syncline <command>

  dev [--config syncline.config.ts]   start Postgres and the stack for development (Ctrl-C stops it)
  doctor     check Postgres settings, publication, slots, sync rules, schemas, JWKS and tokens (✓/✗ + fixes)
  generate   write powersync.yaml, sync_rules.yaml, docker-compose.yml and setup.sql for the official service
  check      lint + drift for CI (--json; exit 0 ok, 1 issues, 2 usage/load error)
  status     replication lag, slot size, streams, per-user buckets/ops from the sync server's /metrics
  slots      list logical replication slots; --drop-inactive removes a previous sync server's slot

syncline <command> --help shows a command's options.`;

/** Commands with their own argument parsing; `dev` keeps the parsing below. */
const COMMANDS: Record<string, (argv: string[], io: typeof processIo) => Promise<number>> = {
  doctor: doctorCommand,
  generate: generateCommand,
  check: checkCommand,
  status: statusCommand,
  slots: slotsCommand,
};

async function main(argv: string[]): Promise<number> {
  const sub = argv[0] ? COMMANDS[argv[0]] : undefined;
  if (sub) return sub(argv.slice(1), processIo);
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
    case 'dev':
      return devCommand(values.config);
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}

/**
 * Exits explicitly once stdout has drained: `syncline dev` loads `@syncline/postgres/embedded`, whose
 * async-exit-hook turns `beforeExit` into `process.exit(0)` and would swallow `process.exitCode`.
 */
function exit(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(exit, (e: unknown) => {
  if (SyncError.is(e)) process.stderr.write(`✗ ${e.code}: ${e.message}\n`);
  else process.stderr.write(`✗ ${(e as Error).stack ?? String(e)}\n`);
  exit(1);
});

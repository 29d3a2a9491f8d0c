import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkDrift, formatDriftReport } from '../drift/index.js';
import { formatLintIssues, lintDrizzleTables, lintSchema } from '../lint/index.js';
import { tablesInModule } from '../model/index.js';
import type { SynclineSchema } from '../schema/index.js';
import { toSyncRules } from '../sync-rules/index.js';
import { type AnyTable, isTableDefinition } from '../table/index.js';

const USAGE = `syncline-schema <command>

  lint <module>                 lint table definitions (defineTable) or Drizzle tables exported by a module
  drift --client <module> --server <module> [--rules <yaml>] [--local-only a,b] [--server-only x,y]
                                compare hand-written sqlite-core and pg-core schemas
  rules <module>                print sync rules generated from the definitions exported by a module

Options: --json (machine-readable output), --owner-column <name> (default owner_id), --help
Exit codes: 0 ok, 1 problems found, 2 usage or load error`;

/** Loads a TypeScript or JavaScript module by path. */
export async function loadModule(path: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
}

/** Table definitions exported by a module: a `defineSchema` result, or individual tables. */
export function definitionsInModule(mod: Record<string, unknown>): AnyTable[] {
  const fromSchema = Object.values(mod).find(
    (v): v is SynclineSchema =>
      typeof v === 'object' && v !== null && Array.isArray((v as SynclineSchema).tables) && 'powersync' in v,
  );
  if (fromSchema) return [...fromSchema.tables];
  return Object.values(mod).filter(isTableDefinition);
}

const list = (s: string | undefined) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : [];

/**
 * Runs the schema CLI and returns its exit code. `out`/`err` default to stdout/stderr.
 *
 * @example
 * process.exitCode = await runSchemaCli(process.argv.slice(2));
 */
export async function runSchemaCli(
  argv: string[],
  io: { out: (s: string) => void; err: (s: string) => void } = {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
  },
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, target] = positionals;
  if (values.help || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  try {
    switch (command) {
      case 'lint': {
        if (!target) throw new UsageError('lint needs a module path');
        const mod = await loadModule(target);
        const defs = definitionsInModule(mod);
        const issues = defs.length
          ? lintSchema(defs)
          : lintDrizzleTables([...tablesInModule(mod).values()], {
              localOnly: list(values['local-only']),
              ...(values['owner-column'] ? { ownerColumn: values['owner-column'] } : {}),
            });
        if (values.json) io.out(JSON.stringify({ ok: issues.length === 0, issues }, null, 2));
        else io.out(issues.length ? formatLintIssues(issues) : '✓ no lint issues');
        return issues.length ? 1 : 0;
      }
      case 'drift': {
        if (!values.client || !values.server) throw new UsageError('drift needs --client and --server');
        const report = checkDrift({
          sqlite: await loadModule(values.client),
          pg: await loadModule(values.server),
          ...(values.rules ? { syncRules: readFileSync(values.rules, 'utf8') } : {}),
          localOnly: list(values['local-only']),
          serverOnly: list(values['server-only']),
          ...(values['owner-column'] ? { ownerColumn: values['owner-column'] } : {}),
        });
        io.out(values.json ? JSON.stringify(report, null, 2) : formatDriftReport(report));
        return report.ok ? 0 : 1;
      }
      case 'rules': {
        if (!target) throw new UsageError('rules needs a module path');
        io.out(toSyncRules(definitionsInModule(await loadModule(target))));
        return 0;
      }
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    const err = e as { code?: string; message: string };
    io.err(`✗ ${err.code ? `${err.code}: ` : ''}${err.message}`);
    return err.code?.startsWith('SCHEMA_') ? 1 : 2;
  }
}

class UsageError extends Error {}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      client: { type: 'string' },
      server: { type: 'string' },
      rules: { type: 'string' },
      'local-only': { type: 'string' },
      'server-only': { type: 'string' },
      'owner-column': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

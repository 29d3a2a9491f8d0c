import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkDrift, formatDriftReport } from '../src/index.js';
import * as cleanClient from './fixtures/clean-client.js';
import * as cleanServer from './fixtures/clean-server.js';
import * as client from './fixtures/drift-client.js';
import * as server from './fixtures/drift-server.js';

const run = promisify(execFile);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const rules = readFileSync(here('./fixtures/drift-rules.yaml'), 'utf8');

describe('checkDrift', () => {
  const report = checkDrift({ sqlite: client, pg: server, syncRules: rules, localOnly: ['settings'] });
  const found = report.issues.map((i) => `${i.code} ${i.table}${i.column ? `.${i.column}` : ''}`);

  it('reports every deliberate drift with its code', () => {
    expect(report.ok).toBe(false);
    expect(found).toEqual(
      expect.arrayContaining([
        'SCHEMA_DRIFT_TABLE drafts',
        'SCHEMA_DRIFT_TABLE audit_log',
        'SCHEMA_DRIFT_COLUMN todos.local_color',
        'SCHEMA_DRIFT_COLUMN todos.archived_at',
        'SCHEMA_DRIFT_TYPE todos.priority',
        'SCHEMA_DRIFT_NULLABILITY todos.notes',
        'SCHEMA_DRIFT_NULLABILITY lists.owner_id',
        'SCHEMA_DRIFT_RULES todos.archived_at',
        'SCHEMA_DRIFT_RULES lists.colour',
        'SCHEMA_DRIFT_RULES missing_table',
      ]),
    );
  });

  it('allows the owner column to be nullable on the client and NOT NULL on the server', () => {
    expect(found).not.toContain('SCHEMA_DRIFT_NULLABILITY todos.owner_id');
  });

  it('does not flag compatible types (boolean ⇄ integer boolean, timestamptz ⇄ text, double ⇄ real)', () => {
    expect(found.filter((f) => f.startsWith('SCHEMA_DRIFT_TYPE'))).toEqual([
      'SCHEMA_DRIFT_TYPE todos.priority',
    ]);
  });

  it('does not flag local-only tables', () => {
    expect(found.some((f) => f.includes('settings'))).toBe(false);
  });

  it('renders a readable report grouped by table', () => {
    const text = formatDriftReport(report);
    expect(text).toMatch(/^✗ \d+ drift issue/);
    expect(text).toContain('  todos\n');
    expect(text).toContain('expected integer()');
  });

  it('finds no drift between the test schema sides', () => {
    const clean = checkDrift({
      sqlite: cleanClient,
      pg: cleanServer,
      localOnly: ['preferences'],
    });
    expect(clean.issues).toEqual([]);
    expect(clean.compared).toHaveLength(5);
  });
});

describe('syncline-schema drift (CLI)', () => {
  const bin = here('../bin/syncline-schema.mjs');
  it('exits 1 with a report on drift', async () => {
    const err = await run(process.execPath, [
      bin,
      'drift',
      '--client',
      here('./fixtures/drift-client.ts'),
      '--server',
      here('./fixtures/drift-server.ts'),
      '--rules',
      here('./fixtures/drift-rules.yaml'),
      '--local-only',
      'settings',
    ]).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(err.code).toBe(1);
    expect(err.stdout).toContain('SCHEMA_DRIFT_TYPE');
  }, 30_000);

  it('exits 0 on the clean pair and prints JSON with --json', async () => {
    const { stdout } = await run(process.execPath, [
      bin,
      'drift',
      '--client',
      here('./fixtures/clean-client.ts'),
      '--server',
      here('./fixtures/clean-server.ts'),
      '--local-only',
      'preferences',
      '--json',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, issues: [] });
  }, 30_000);

  it('exits 2 on bad usage', async () => {
    const err = await run(process.execPath, [bin, 'drift']).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('needs --client and --server');
  }, 30_000);

  it('prints the usage with --help and -h (exit 0)', async () => {
    for (const flag of ['--help', '-h']) {
      const { stdout, stderr } = await run(process.execPath, [bin, flag]);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/^syncline-schema <command>/);
      expect(stdout).toContain('drift --client <module> --server <module>');
    }
  }, 30_000);
});

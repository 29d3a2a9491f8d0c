import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDrift, formatDriftReport } from '../src/index.js';
import * as cleanClient from './fixtures/clean-client.js';
import * as cleanServer from './fixtures/clean-server.js';
import * as client from './fixtures/drift-client.js';
import * as server from './fixtures/drift-server.js';

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

/**
 * The fast-check arbitraries of the upload fuzz (upload-fuzz.test.ts): request bodies from garbage to clean
 * transactions, ops on every synced table with odd ids and values of every type, and ops on the shared projects.
 * User ids appear as the placeholders `@user0@`/`@user1@`; the test replaces them before sending.
 */
import fc from 'fast-check';
import { testSchema } from './helpers.js';

/** The synced tables with an owner column: the ones the fuzz writes and snapshots. */
export const synced = testSchema.synced.filter((t) => t.owner);
const tableNames = [...synced.map((t) => t.name), 'announcements', 'preferences', 'nope', ''];

/** The placeholders of the two users' ids in generated bodies, replaced by the real ids before sending. */
const USER_TOKENS = ['@user0@', '@user1@'];

const poolIds = ['a', 'b', 'c', 'd', 'shared-1', 'shared-2', '11111111-1111-4111-8111-111111111111'];
const memberIds = ['shared-1.@user1@', 'shared-2.@user1@', 'c.@user0@', 'shared-1.@user0@'];
/** A long id-like string that does not compress (Postgres compresses repetitive index keys below its limit). */
const longText = fc.string({
  minLength: 2800,
  maxLength: 3500,
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split('')),
});
const oddId = fc.oneof(
  { weight: 3, arbitrary: longText },
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom(
    ' a',
    'a ',
    '📝',
    'a\u0000b',
    'x'.repeat(129),
    'y'.repeat(3000),
    '',
    '../etc',
    "'; DROP TABLE x;--",
  ),
);
const id = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...poolIds) },
  { weight: 2, arbitrary: fc.uuid() },
  oddId,
);
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const scalar = fc.oneof(
  fc.constantFrom(...poolIds),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom(
    'x'.repeat(3000),
    'z'.repeat(70_000),
    'a\u0000b',
    '2024-01-01T00:00:00Z',
    '1700000000',
    'true',
    '1',
    '',
  ),
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1e300, -1e20, 8.64e15, -8.64e15, 0, 1),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(deep(5000), deep(60_000)),
);
const value = fc.oneof(
  { weight: 8, arbitrary: scalar },
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(scalar, { maxLength: 3 }),
);
const columnNames = [
  ...new Set(synced.flatMap((t) => t.columns.flatMap((c) => [c.name, c.property]))),
  'nope',
  '__proto__',
  'constructor',
];
const data = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(fc.constantFrom(...columnNames), value, { maxKeys: 6 }) },
  fc.constantFrom(null, [], 'text', 1),
);
/** Values a client of this column would send (so ops often get past validation, to ownership and constraints). */
function validValue(kind: string) {
  switch (kind) {
    case 'integer':
      return fc.integer({ min: -1000, max: 1000 });
    case 'real':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.constantFrom(0, 1);
    case 'timestamp':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'json':
      return fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v));
    default:
      return fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...poolIds) },
        { weight: 2, arbitrary: fc.constantFrom(...USER_TOKENS, 'viewer', 'editor') },
        { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
        { weight: 1, arbitrary: fc.constantFrom('x'.repeat(3000), 'a\u0000b', 'e\u0301', '😀') },
        { weight: 1, arbitrary: longText },
      );
  }
}
/** An op on a synced table with well-typed data: required columns present, some optional ones. */
const typedOp = fc.constantFrom(...synced).chain((t) => {
  const columns = t.columns.filter((c) => c.kind !== 'id' && c.kind !== 'owner');
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const c of columns) record[c.name] = validValue(c.kind);
  const required = columns.filter((c) => c.notNull && c.default === undefined).map((c) => c.name);
  return fc.record({
    op: fc.constantFrom('PUT', 'PUT', 'PATCH', 'DELETE'),
    table: fc.constant(t.name),
    id: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...poolIds) },
      { weight: t.name === 'project_members' ? 4 : 0, arbitrary: fc.constantFrom(...memberIds) },
      { weight: 4, arbitrary: fc.uuid() },
      { weight: 2, arbitrary: oddId },
    ),
    data: fc.record(record, { requiredKeys: required }),
  });
});
/** Ops on the shared projects, their documents and memberships, as either user would send them. */
const sharedOp = fc.oneof(
  fc.record({
    op: fc.constantFrom('PATCH', 'PUT', 'DELETE'),
    table: fc.constant('documents'),
    id: fc.constantFrom('a', 'b'),
    data: fc.record(
      {
        content: fc.string({ maxLength: 8 }),
        device_id: fc.constant('d'),
        version: fc.integer({ min: 1, max: 6 }),
      },
      { requiredKeys: ['content', 'device_id'] },
    ),
  }),
  fc.record({
    op: fc.constantFrom('PATCH', 'PUT'),
    table: fc.constant('documents'),
    id: fc.oneof(fc.uuid(), fc.constantFrom('a', 'b', 'c')),
    data: fc.record({
      content: fc.constant('moved'),
      device_id: fc.constant('d'),
      project_id: fc.constantFrom('shared-1', 'shared-2', 'c', null),
    }),
  }),
  fc.record({
    op: fc.constantFrom('PATCH', 'PUT', 'DELETE'),
    table: fc.constant('projects'),
    id: fc.constantFrom('shared-1', 'shared-2', 'c'),
    data: fc.record({ name: fc.string({ maxLength: 8 }) }),
  }),
  fc.record({
    op: fc.constantFrom('PATCH', 'PUT', 'DELETE'),
    table: fc.constant('project_members'),
    id: fc.constantFrom(...memberIds),
    data: fc.record({
      project_id: fc.constantFrom('shared-1', 'shared-2', 'c'),
      user_id: fc.constantFrom(...USER_TOKENS),
      role: fc.constantFrom('viewer', 'editor', 'owner'),
    }),
  }),
);
const op = fc.oneof(
  { weight: 12, arbitrary: typedOp },
  { weight: 4, arbitrary: sharedOp },
  {
    weight: 6,
    arbitrary: fc.record(
      {
        op: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'put', 'UPSERT'),
        table: fc.constantFrom(...tableNames),
        id,
        data,
      },
      { requiredKeys: ['op', 'table', 'id'] },
    ),
  },
  fc.jsonValue({ maxDepth: 2 }),
);
const opId = fc.oneof(
  fc.nat(),
  fc.string({ minLength: 1, maxLength: 8 }),
  fc.constantFrom(-1, 1.5, '', null, 'x'.repeat(300)),
);
const transaction = fc.oneof(
  { weight: 10, arbitrary: fc.record({ op_id: opId, ops: fc.array(op, { maxLength: 6 }) }) },
  fc.jsonValue({ maxDepth: 2 }),
);
const cleanBody = fc.record({
  client_id: fc.constantFrom('device-1', 'device-2'),
  transactions: fc.array(
    fc.record({
      op_id: fc.nat(),
      ops: fc.array(fc.oneof({ weight: 2, arbitrary: typedOp }, sharedOp), { minLength: 1, maxLength: 4 }),
    }),
    {
      minLength: 1,
      maxLength: 3,
    },
  ),
});
/** A request body: mostly JSON bodies (clean or malformed), sometimes `{ raw }` text sent as is. */
export const body = fc.oneof(
  { weight: 20, arbitrary: cleanBody },
  {
    weight: 12,
    arbitrary: fc.record(
      {
        client_id: fc.oneof(
          fc.constantFrom('device-1', 'device-2'),
          fc.string({ maxLength: 5 }),
          fc.integer(),
        ),
        transactions: fc.array(transaction, { maxLength: 4 }),
      },
      { requiredKeys: ['transactions'] },
    ),
  },
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }).map((s) => ({ raw: s })),
  fc.constantFrom({ raw: deep(100_000) }, { raw: '{"transactions": [' }, { raw: '\u0000' }),
);

/**
 * `docs/errors.md`, rendered from the registry: every code with its HTTP status and description, grouped by
 * prefix. `npm run docs:errors` writes it; `docs.test.ts` fails when the file is stale.
 */
import { errorCatalog } from './codes.js';
import { SyncError } from './sync-error.js';

const GROUPS: [prefix: string, title: string][] = [
  ['CONFIG', 'Configuration: options and configuration files'],
  ['PG', 'Postgres setup'],
  ['SCHEMA', 'Table definitions, lint and drift'],
  ['AUTH', 'Tokens and sessions'],
  ['UPLOAD', 'The upload endpoint'],
  ['SHARING', 'Sharing: user lookups'],
  ['REPL', 'Logical replication'],
  ['SYNC', 'The sync protocol endpoints'],
  ['STORAGE', 'Bucket storage'],
  ['CLIENT', 'The client SDK'],
  ['INTERNAL', 'Everything else'],
];

/** The Markdown of `docs/errors.md`. */
export function renderErrorsDoc(): string {
  const codes = Object.entries(errorCatalog) as [string, { status: number; description: string }][];
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from packages/errors/src/codes.ts by `npm run docs:errors`. Do not edit by hand. -->',
    '',
    'Every error Syncline raises carries one of these codes (`SyncError.code`, and `code` in an HTTP error body).',
    'At an HTTP boundary the code maps to the status shown: 4xx means the request must change, 5xx that a retry',
    'can succeed once the cause is fixed.',
  ];
  for (const [prefix, title] of GROUPS) {
    const group = codes.filter(([code]) => code === prefix || code.startsWith(`${prefix}_`));
    if (group.length === 0) continue;
    lines.push('', `## ${title} (\`${prefix === 'INTERNAL' ? prefix : `${prefix}_*`}\`)`, '');
    for (const [code, { status, description }] of group)
      lines.push(`- **\`${code}\`** (HTTP ${status}): ${description}`);
  }
  const grouped = new Set(GROUPS.map(([p]) => p));
  const rest = codes.filter(([code]) => !grouped.has(code.split('_')[0]!));
  if (rest.length)
    throw new SyncError('INTERNAL', `Codes without a group in docs.ts: ${rest.map(([c]) => c).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

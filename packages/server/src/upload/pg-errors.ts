import { SyncError } from '@syncline/errors';

/** The fields of a `pg` DatabaseError (or a Node network error) we look at. */
interface PgErrorLike {
  code?: unknown;
  constraint?: unknown;
  column?: unknown;
  table?: unknown;
  message?: unknown;
}

const TRANSIENT_CLASSES = ['08', '53', '57', '58'];
const TRANSIENT_CODES = new Set([
  '40001',
  '40P01',
  '55P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * Maps an error raised while applying an upload to the error contract: constraint violations are
 * permanent 409 `UPLOAD_CONSTRAINT_VIOLATION`, NOT NULL violations 400 `UPLOAD_MISSING_VALUE`,
 * data errors 400 `UPLOAD_INVALID_VALUE`; serialization failures, deadlocks and connection problems
 * are transient 503 `UPLOAD_INTERNAL`; anything else a 500 `UPLOAD_INTERNAL` that reveals no SQL.
 *
 * @example
 * mapPgError({ code: '23505', constraint: 'uq_document_groups_pair' }).status; // 409
 */
export function mapPgError(err: unknown): SyncError {
  if (SyncError.is(err)) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as PgErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const constraint = typeof e.constraint === 'string' ? e.constraint : undefined;
  const column = typeof e.column === 'string' ? e.column : undefined;
  const table = typeof e.table === 'string' ? e.table : undefined;
  const where = table ? ` on table "${table}"` : '';
  if (code === '23505') {
    return new SyncError(
      'UPLOAD_CONSTRAINT_VIOLATION',
      `Another row already has these values: unique constraint "${constraint ?? '?'}"${where}.`,
      { details: { constraint, table, pgCode: code } },
    );
  }
  if (code === '23503' || code === '23514' || code === '23P01') {
    return new SyncError(
      'UPLOAD_CONSTRAINT_VIOLATION',
      `The write violates constraint "${constraint ?? '?'}"${where}.`,
      { details: { constraint, table, pgCode: code } },
    );
  }
  if (code === '23502') {
    return new SyncError(
      'UPLOAD_MISSING_VALUE',
      `Column ${table ?? '?'}.${column ?? '?'} is required (NOT NULL).`,
      {
        details: { table, column, pgCode: code },
      },
    );
  }
  if (code.startsWith('22')) {
    // Data exceptions name the value and type ("value too long for type …"): actionable, no SQL.
    return new SyncError('UPLOAD_INVALID_VALUE', `Postgres rejected a value: ${String(e.message)}.`, {
      details: { table, column, pgCode: code },
    });
  }
  if (code.startsWith('54')) {
    // Program limits (an index row over the btree maximum, a JSON document nested too deep): the data is
    // too large for how the table is indexed. Retrying cannot help.
    return new SyncError(
      'UPLOAD_INVALID_VALUE',
      `A value is too large for Postgres to store or index${where}: ${String(e.message)}.`,
      { details: { table, column, constraint, pgCode: code } },
    );
  }
  if (isTransientDbError(err)) {
    return new SyncError(
      'UPLOAD_INTERNAL',
      'The database is temporarily unavailable; nothing was applied. Retry.',
      {
        status: 503,
        details: { pgCode: code || undefined, retryAfterSeconds: RETRY_AFTER_SECONDS },
        cause: err,
      },
    );
  }
  return new SyncError(
    'UPLOAD_INTERNAL',
    'The server could not apply the upload; nothing was applied. Retry later; if this persists, the server log has the cause.',
    { cause: err },
  );
}

/** Seconds a client is told to wait (`Retry-After`) while the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Whether an error means the database is (temporarily) unreachable or busy: connection failures,
 * shutdown/crash notices (class 57P), resource exhaustion (53), serialization failures and deadlocks.
 */
export function isTransientDbError(err: unknown): boolean {
  const e = (typeof err === 'object' && err !== null ? err : {}) as PgErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  return TRANSIENT_CODES.has(code) || TRANSIENT_CLASSES.includes(code.slice(0, 2)) || isConnectionError(e);
}

function isConnectionError(e: PgErrorLike): boolean {
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|Client was closed|the database system is (starting up|shutting down|in recovery mode)|timeout exceeded when trying to connect/i.test(
    message,
  );
}

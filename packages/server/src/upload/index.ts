import { createLogger, invalidOption, type Logger, positiveInt, SyncError } from '@syncline/errors';
import type { SynclineSchema } from '@syncline/schema';
import type { UploadResponseBody } from '@syncline/schema/upload';
import type pg from 'pg';
import type { AuthContext, Authenticator } from '../auth/authenticate.js';
import { guardPool } from '../db/index.js';
import { errorResponse, json, readBody } from '../http/index.js';
import { parseUploadBody, type UploadBody } from './body.js';
import type { UploadOutcome } from './per-op.js';
import { mapPgError } from './pg-errors.js';
import { uploadTables } from './plan.js';
import { runUpload } from './run.js';
import { ensureUploadLog, pruneUploadLog } from './store.js';

export { type OpId, parseUploadBody, type RawTransaction, type UploadBody } from './body.js';
export { mapPgError } from './pg-errors.js';
export {
  type PlannedOp,
  type PlannedTransaction,
  planTransaction,
  type TableEntry,
  type TablePlan,
  uploadTables,
} from './plan.js';
export { UPLOAD_LOG_TABLE } from './store.js';

/** Request limits of the upload endpoint. */
export interface UploadLimits {
  /** Largest accepted body in bytes → 413 `UPLOAD_BODY_TOO_LARGE`. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Most ops per request (all transactions together) → 413 `UPLOAD_TOO_MANY_OPS`. Default 1000. */
  maxOps?: number;
}

/** Options for {@link createUploadHandler}. */
export interface UploadHandlerOptions {
  /** The table definitions: what may be written, and how values convert. Required. */
  schema: SynclineSchema;
  /** Pool to the database holding the synced tables. Required. */
  pool: pg.Pool;
  /** Resolves the caller (a {@link SynclineAuth} works). Required. */
  auth: Authenticator;
  limits?: UploadLimits;
  /** Default: `createLogger({ name: 'upload' })`. */
  logger?: Logger;
  /** Days to keep idempotency records before pruning them (hourly). `false`: keep forever. Default 30. */
  retentionDays?: number | false;
}

/** The 200 body: op ids of the transactions applied now and of those applied before (replays). */
export type UploadResult = UploadResponseBody;

/** `PUT /api/powersync/upload`: `(request, ctx?) => Response`, plus `prepare()` to create its table at start. */
export interface UploadHandler {
  (request: Request, ctx?: AuthContext): Promise<Response>;
  /** Creates the idempotency table (also done on the first request). */
  prepare(): Promise<void>;
}

/**
 * The upload endpoint, driven by the table definitions. Each client transaction is validated, then
 * applied all-or-nothing with the owner column set from the authenticated user; rows of other users are
 * never changed (`UPLOAD_NOT_OWNER`). A request whose transactions all apply is written with one statement
 * per run of same-shaped ops and committed once; otherwise it is re-applied one transaction and one op at
 * a time to name the first rejected op (see `runUpload`). Replays of a transaction already
 * applied (same user, `client_id` and `op_id`) answer success and write nothing. The first rejected
 * transaction stops the request; see the package README for the error contract.
 *
 * @example
 * const upload = createUploadHandler({ schema, pool, auth });
 * app.put('/api/powersync/upload', (c) => upload(c.req.raw));
 * // body: { client_id, transactions: [{ op_id: 1, ops: [{ op: 'PUT', table: 'documents', id, data }] }] }
 */
export function createUploadHandler(options: UploadHandlerOptions): UploadHandler {
  const f = 'createUploadHandler';
  if (!options?.schema || !Array.isArray(options.schema.tables)) {
    throw invalidOption(f, 'schema', 'is required (from defineSchema)');
  }
  if (!options.pool || typeof options.pool.connect !== 'function')
    throw invalidOption(f, 'pool', 'is required (a pg.Pool)');
  if (!options.auth || typeof options.auth.authenticate !== 'function') {
    throw invalidOption(f, 'auth', 'is required (an object with authenticate(request))');
  }
  const maxBodyBytes = positiveInt(f, 'limits.maxBodyBytes', options.limits?.maxBodyBytes, 1024 * 1024);
  const maxOps = positiveInt(f, 'limits.maxOps', options.limits?.maxOps, 1000);
  const retentionDays =
    options.retentionDays === false ? false : positiveInt(f, 'retentionDays', options.retentionDays, 30);
  const tables = uploadTables(options.schema);
  const { pool, auth } = options;
  const log = options.logger ?? createLogger({ name: 'upload' });
  guardPool(pool, log);

  let prepared: Promise<void> | undefined;
  const prepare = () => {
    prepared ??= ensureUploadLog(pool).catch((e) => {
      prepared = undefined;
      throw mapPgError(e);
    });
    return prepared;
  };
  let lastPrune = 0;
  const maybePrune = () => {
    if (retentionDays === false || Date.now() - lastPrune < 3_600_000) return;
    lastPrune = Date.now();
    pruneUploadLog(pool, retentionDays).then(
      (n) => n && log.info('idempotency records pruned', { count: n, retentionDays }),
      (e) => log.warn('pruning idempotency records failed', { error: e }),
    );
  };

  const reject = (err: unknown, fields: Record<string, unknown>) => {
    const e = SyncError.is(err) ? err : mapPgError(err);
    if (e.status >= 500) log.error('upload failed', { ...fields, code: e.code, error: e.cause ?? e });
    else log.warn('upload rejected', { ...fields, code: e.code, status: e.status, ...e.details });
    return errorResponse(e);
  };

  const handler = async (request: Request, ctx?: AuthContext): Promise<Response> => {
    const started = Date.now();
    let userId: string;
    let body: UploadBody;
    try {
      userId = (ctx ?? (await auth.authenticate(request))).userId;
      body = parseUploadBody(await readBody(request, maxBodyBytes), { maxOps });
    } catch (e) {
      return reject(e, {});
    }
    const { clientId } = body;
    const fields = { userId, clientId, transactions: body.transactions.length, ops: body.opCount };
    if (clientId === undefined && body.transactions.length > 0) {
      log.warn('upload without client_id: replays cannot be detected', { userId });
    }
    let outcome: UploadOutcome;
    try {
      await prepare();
      outcome = await runUpload(pool, tables, body, userId, {
        batched: true,
        log,
      });
    } catch (e) {
      const applied = SyncError.is(e) ? e.details?.applied : undefined;
      return reject(e, { ...fields, ...(Array.isArray(applied) ? { appliedCount: applied.length } : {}) });
    }
    const { applied, replayed, totals, path } = outcome;
    log.info('upload applied', {
      ...fields,
      applied: applied.length,
      replayed: replayed.length,
      ...totals,
      path,
      ms: Date.now() - started,
    });
    maybePrune();
    return json({ applied, replayed } satisfies UploadResult);
  };
  return Object.assign(handler, { prepare });
}

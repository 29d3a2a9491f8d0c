/**
 * The one registry of Syncline error codes.
 *
 * Keys are grouped by prefix: `CONFIG_*` (options and configuration files), `PG_*` (Postgres
 * setup), `SCHEMA_*` (table definitions, lint, drift), `AUTH_*` (tokens and sessions),
 * `UPLOAD_*` (the upload endpoint), `SHARING_*` (user lookups for sharing), `REPL_*` (logical replication), `SYNC_*` (the sync protocol
 * endpoints), `STORAGE_*` (bucket storage) and `CLIENT_*` (the client SDK).
 *
 * `status` is the HTTP status a `SyncError` with this code maps to at an HTTP boundary.
 */
export const errorCatalog = {
  // ── configuration ────────────────────────────────────────────────────────────────
  CONFIG_INVALID_OPTION: { status: 500, description: 'An option passed to a factory is missing or invalid.' },
  CONFIG_FILE_NOT_FOUND: { status: 500, description: 'A configuration file does not exist.' },
  CONFIG_INVALID_FILE: {
    status: 500,
    description: 'A configuration file could not be parsed or is invalid.',
  },
  CONFIG_MISSING_ENV: { status: 500, description: 'A required environment variable is not set.' },
  CONFIG_PORT_IN_USE: { status: 500, description: 'A port Syncline wants to listen on is taken.' },

  // ── Postgres ─────────────────────────────────────────────────────────────────────
  PG_CONNECTION_FAILED: { status: 503, description: 'Postgres could not be reached.' },
  PG_SETTING_INVALID: { status: 500, description: 'A Postgres server setting prevents logical replication.' },
  PG_EMBEDDED_FAILED: { status: 500, description: 'The embedded Postgres server could not be started.' },
  PG_MIGRATION_FAILED: { status: 500, description: 'Applying the schema to Postgres failed.' },
  PG_PERMISSION_DENIED: { status: 500, description: 'The Postgres role lacks a privilege Syncline needs.' },

  // ── schema ───────────────────────────────────────────────────────────────────────
  SCHEMA_MISSING_ID: { status: 500, description: 'A synced table has no `id` column.' },
  SCHEMA_ID_NOT_TEXT: { status: 500, description: 'The `id` column is not a text column.' },
  SCHEMA_ID_NOT_PRIMARY_KEY: { status: 500, description: 'The `id` column is not the primary key.' },
  SCHEMA_COMPOSITE_PRIMARY_KEY: { status: 500, description: 'A table has a composite primary key.' },
  SCHEMA_FOREIGN_KEY: { status: 500, description: 'A table declares a foreign-key constraint.' },
  SCHEMA_MISSING_OWNER: { status: 500, description: 'A synced table has no owner column.' },
  SCHEMA_UNSUPPORTED_TYPE: {
    status: 500,
    description: 'A column type cannot be carried by the PowerSync client.',
  },
  SCHEMA_INVALID_NAME: { status: 500, description: 'A table or column name is not allowed.' },
  SCHEMA_GLOBAL_UNIQUE: {
    status: 500,
    description: 'Warning: a unique index is global across users, so writes reveal whether a value exists.',
  },
  SCHEMA_INVALID_REFERENCE: {
    status: 500,
    description: 'A `ref()` column points at a table that is not a synced table with an owner in the schema.',
  },
  SCHEMA_DUPLICATE_TABLE: { status: 500, description: 'Two definitions use the same table name.' },
  SCHEMA_INVALID_SHARING: {
    status: 500,
    description:
      'A sharing declaration (`membership`, `sharing.via`) names a column that is not a reference to a shared table.',
  },
  SCHEMA_INVALID_CONFLICT_POLICY: {
    status: 500,
    description: 'A conflict policy or a server-owned column is declared on a column that cannot carry it.',
  },
  SCHEMA_DRIFT_TABLE: { status: 500, description: 'A table exists in one schema but not the other.' },
  SCHEMA_DRIFT_COLUMN: { status: 500, description: 'A column exists in one schema but not the other.' },
  SCHEMA_DRIFT_TYPE: { status: 500, description: 'A column has incompatible types on client and server.' },
  SCHEMA_DRIFT_NULLABILITY: {
    status: 500,
    description: 'A column differs in nullability between client and server.',
  },
  SCHEMA_DRIFT_RULES: {
    status: 500,
    description: 'Sync rules reference a table or column missing on one side.',
  },
  SCHEMA_INVALID_SYNC_RULES: {
    status: 500,
    description: 'Sync rules do not parse or reference unknown names.',
  },

  // ── auth ─────────────────────────────────────────────────────────────────────────
  AUTH_MISSING_TOKEN: { status: 401, description: 'No credentials were sent.' },
  AUTH_MALFORMED_TOKEN: {
    status: 401,
    description: 'The token is not a decodable JWT (three base64url parts, JSON header and payload).',
  },
  AUTH_INVALID_TOKEN: {
    status: 401,
    description: 'The token signature does not verify against the key its kid names.',
  },
  AUTH_EXPIRED: { status: 401, description: 'The token has expired (exp, beyond the clock skew).' },
  AUTH_NOT_YET_VALID: {
    status: 401,
    description: 'The token is not valid yet (nbf in the future, beyond the clock skew).',
  },
  AUTH_ISSUED_IN_FUTURE: {
    status: 401,
    description: 'The token was issued in the future (iat beyond the clock skew): a wrong clock.',
  },
  AUTH_WRONG_AUDIENCE: { status: 401, description: 'The token audience is not accepted here.' },
  AUTH_WRONG_ISSUER: { status: 401, description: 'The token issuer is not accepted here.' },
  AUTH_MISSING_KID: { status: 401, description: 'The token header names no key (kid).' },
  AUTH_UNKNOWN_KEY: { status: 401, description: 'No key in the JWKS matches the token.' },
  AUTH_ALGORITHM_NOT_ALLOWED: {
    status: 401,
    description: 'The token is signed with an algorithm that is not allowed.',
  },
  AUTH_LIFETIME_TOO_LONG: { status: 401, description: 'The token lifetime exceeds the maximum accepted.' },
  AUTH_MISSING_CLAIM: {
    status: 401,
    description: 'A required claim (sub, iat, exp, aud, and iss when configured) is missing.',
  },
  AUTH_INVALID_CLAIM: {
    status: 401,
    description: 'A claim has the wrong type (exp/iat/nbf not numbers, sub not a non-empty string…).',
  },
  AUTH_RATE_LIMITED: {
    status: 429,
    description: 'Too many sign-in, sign-up or token requests; wait for Retry-After seconds.',
  },
  AUTH_INVALID_SESSION: { status: 401, description: 'The session is missing, expired or revoked.' },
  AUTH_JWKS_UNAVAILABLE: { status: 503, description: 'The JWKS endpoint could not be fetched.' },
  AUTH_SIGN_UP_REFUSED: {
    status: 400,
    description: 'The account could not be created (taken email, weak password…).',
  },

  // ── upload endpoint ──────────────────────────────────────────────────────────────
  UPLOAD_MALFORMED_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  UPLOAD_INVALID_BODY: { status: 400, description: 'The request body does not have the upload shape.' },
  UPLOAD_INVALID_OP: {
    status: 400,
    description: 'An operation is not PUT, PATCH or DELETE, or lacks an id.',
  },
  UPLOAD_INVALID_ID: {
    status: 400,
    description: "An operation's id does not have the table's id format (length, characters, UUID…).",
  },
  UPLOAD_UNKNOWN_TABLE: { status: 400, description: 'An operation names a table that is not synced.' },
  UPLOAD_LOCAL_ONLY_TABLE: { status: 400, description: 'An operation names a local-only table.' },
  UPLOAD_READ_ONLY_TABLE: {
    status: 403,
    description: 'An operation names a synced table without an owner column, which clients cannot write.',
  },
  UPLOAD_UNKNOWN_COLUMN: {
    status: 400,
    description: 'An operation carries a column the table does not have.',
  },
  UPLOAD_INVALID_VALUE: { status: 400, description: 'A value cannot be converted to the column type.' },
  UPLOAD_MISSING_VALUE: { status: 400, description: 'A required column has no value.' },
  UPLOAD_NOT_OWNER: {
    status: 403,
    description: 'The row belongs to another user and is not shared with the caller (or no longer is).',
  },
  UPLOAD_READ_ONLY_SHARE: {
    status: 403,
    description:
      'The row (or the project it goes into) is shared with the caller as a viewer: readable, not writable.',
  },
  UPLOAD_OWNER_ONLY: {
    status: 403,
    description: "Only the shared resource's owner may do this: manage its members, or delete it.",
  },
  UPLOAD_VERSION_CONFLICT: {
    status: 409,
    description:
      "The row changed on the server since the client read it (`version` policy); the server's row is in `details.serverRow`.",
  },
  UPLOAD_VERSION_MISSING: {
    status: 400,
    description:
      'A write to a `version`-checked column does not carry the next version (the current one + 1).',
  },
  UPLOAD_FOREIGN_REFERENCE: {
    status: 403,
    description: "A reference column (`ref()`) points at another user's row.",
  },
  UPLOAD_MISSING_REFERENCE: {
    status: 409,
    description: 'A strict reference column points at a row that does not exist.',
  },
  UPLOAD_CONSTRAINT_VIOLATION: {
    status: 409,
    description: 'Postgres rejected the write (unique or check constraint).',
  },
  UPLOAD_BODY_TOO_LARGE: { status: 413, description: 'The request body exceeds the size limit.' },
  UPLOAD_TOO_MANY_OPS: { status: 413, description: 'The request carries more operations than allowed.' },
  UPLOAD_INTERNAL: { status: 500, description: 'The upload could not be applied because of a server fault.' },

  // ── sharing ──────────────────────────────────────────────────────────────────────
  SHARING_USER_NOT_FOUND: { status: 404, description: 'No account has this email address.' },
  SHARING_INVALID_REQUEST: { status: 400, description: 'A user lookup without a valid email address.' },
  SHARING_RATE_LIMITED: { status: 429, description: 'Too many user lookups; wait for Retry-After seconds.' },

  // ── replication ──────────────────────────────────────────────────────────────────
  REPL_WAL_LEVEL: { status: 500, description: 'wal_level is not logical.' },
  REPL_SLOT_FAILED: { status: 500, description: 'The replication slot could not be created or used.' },
  REPL_PUBLICATION_MISSING: { status: 500, description: 'The publication does not exist.' },
  REPL_STREAM_FAILED: { status: 500, description: 'The logical replication stream failed.' },
  REPL_UNSUPPORTED: { status: 500, description: 'A replicated change cannot be processed.' },
  REPL_PUBLICATION_INCLUDES_STORAGE: {
    status: 500,
    description:
      'The publication includes bucket storage tables (FOR ALL TABLES with storage in the source database).',
  },

  // ── sync protocol ────────────────────────────────────────────────────────────────
  SYNC_INVALID_REQUEST: { status: 400, description: 'The sync request body is invalid.' },
  SYNC_TOO_MANY_BUCKETS: { status: 400, description: 'The request resolves to more buckets than allowed.' },
  SYNC_TOO_MANY_SUBSCRIPTIONS: {
    status: 400,
    description: 'The request subscribes to more sync streams than allowed.',
  },
  SYNC_RULES_INVALID: { status: 500, description: 'The sync rules could not be loaded.' },
  SYNC_NOT_READY: { status: 503, description: 'The initial replication has not finished yet.' },
  SYNC_SHUTTING_DOWN: { status: 503, description: 'The server is shutting down.' },
  SYNC_UNAVAILABLE: {
    status: 503,
    description: 'Postgres (source or bucket storage) cannot be reached right now; retry shortly.',
  },
  SYNC_NOT_FOUND: { status: 404, description: 'No such endpoint.' },

  // ── bucket storage ───────────────────────────────────────────────────────────────
  STORAGE_FAILED: { status: 500, description: 'A bucket storage operation failed.' },

  // ── client ───────────────────────────────────────────────────────────────────────
  CLIENT_NOT_SIGNED_IN: { status: 401, description: 'The client has no session.' },
  CLIENT_NETWORK: { status: 503, description: 'The server could not be reached.' },
  CLIENT_SERVER_ERROR: { status: 503, description: 'The server answered with a transient error.' },
  CLIENT_INVALID_RESPONSE: { status: 502, description: 'The server answered with an unexpected body.' },
  CLIENT_SYNC_FAILED: { status: 500, description: 'The sync stream failed.' },
  CLIENT_ACCOUNT_MISMATCH: {
    status: 409,
    description: 'Pending writes belong to another user than the signed-in one; they were not sent.',
  },
  CLIENT_CANNOT_REAPPLY: {
    status: 400,
    description: 'A rejected or quarantined write cannot be re-applied locally (unknown table or column).',
  },
  CLIENT_CLOSED: { status: 500, description: 'The sync client was closed.' },
  CLIENT_USAGE: { status: 400, description: 'A command or call was given wrong arguments.' },
  CLIENT_NOT_FOUND: { status: 404, description: 'No such row on this device.' },
  CLIENT_PROFILE_IN_USE: {
    status: 409,
    description: 'Another process has this local profile (database and session) open.',
  },

  // ── generic ──────────────────────────────────────────────────────────────────────
  INTERNAL: { status: 500, description: 'An unexpected error.' },
} as const satisfies Record<string, { status: number; description: string }>;

/** Every error code Syncline produces. */
export type ErrorCode = keyof typeof errorCatalog;

/**
 * The error codes as a value, for `switch` statements and comparisons.
 *
 * @example
 * if (err.code === ErrorCode.UPLOAD_NOT_OWNER) showToast('That row is not yours');
 */
export const ErrorCode: { readonly [K in ErrorCode]: K } = Object.freeze(
  Object.fromEntries(Object.keys(errorCatalog).map((k) => [k, k])) as { [K in ErrorCode]: K },
);

/**
 * Whether a string is a known error code.
 *
 * @example
 * isErrorCode('AUTH_EXPIRED'); // true
 */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalog, value);
}

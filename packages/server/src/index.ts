/**
 * `@syncline/server`: the API side of Syncline — a BetterAuth preset (RS256 JWT + JWKS), the
 * `GET /api/powersync/config` and `PUT /api/powersync/upload` handlers as plain
 * `(Request) => Promise<Response>` functions, and CORS. The Elysia plugin lives in
 * `@syncline/server/elysia`.
 */

export type { AuthenticatorOptions } from './auth/authenticate.js';
export {
  type AuthContext,
  type Authenticator,
  type AuthOptions,
  type BetterAuthInstance,
  createAuth,
  createAuthenticator,
  loadOrCreateSecret,
  type RateLimitOptions,
  type SecretOptions,
  type SynclineAuth,
} from './auth/index.js';
export {
  type ConfigHandler,
  type ConfigHandlerOptions,
  createConfigHandler,
  type PowerSyncConfig,
} from './config/index.js';
export { guardPool } from './db/index.js';
export {
  bearerToken,
  type Cors,
  type CorsOptions,
  createCors,
  errorResponse,
  json,
  readBody,
} from './http/index.js';
export {
  type Access,
  decide,
  enforcePolicies,
  type Facts,
  type RowFacts,
  type TablePolicy,
  tablePolicy,
} from './policies/index.js';
export {
  createUserLookupHandler,
  type SharedUser,
  type UserLookupHandler,
  type UserLookupOptions,
} from './sharing/index.js';
export {
  createUploadHandler,
  mapPgError,
  type OpId,
  type PlannedOp,
  type PlannedTransaction,
  parseUploadBody,
  planTransaction,
  type RawTransaction,
  type TableEntry,
  type TablePlan,
  UPLOAD_LOG_TABLE,
  type UploadBody,
  type UploadHandler,
  type UploadHandlerOptions,
  type UploadLimits,
  type UploadResult,
  uploadTables,
} from './upload/index.js';

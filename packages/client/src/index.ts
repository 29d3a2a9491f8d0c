export {
  type Account,
  createQuarantine,
  type PendingOnSwitch,
  type Quarantine,
  type QuarantinedWrite,
  type RestoreResult,
  switchAccount,
} from './account/index.js';
export { createSyncClient, type SyncClient, type SyncClientOptions } from './client/index.js';
export { type ConnectorOptions, createConnector, type SyncConnector } from './connector/index.js';
export {
  type AuthState,
  type Credentials,
  type CredentialsOptions,
  createCredentials,
  decodeJwtClaims,
  freshUntil,
  type JwtClaims,
  type SessionSource,
  type SyncCredentials,
} from './credentials/index.js';
export {
  type ClientSqliteSchema,
  type CreateDatabaseOptions,
  createDatabase,
  type OpenDatabase,
  type OpenDatabaseOptions,
  type SyncDatabase,
} from './database/index.js';
export { createEndpointGuard, type EndpointChange, type EndpointGuard } from './endpoint/index.js';
export type { FetchLike } from './http/index.js';
export { createRejections, type Rejections, type SyncRejection } from './rejections/index.js';
export { createSharing, type SharedUser, type Sharing } from './sharing/index.js';
export {
  createStatusStore,
  deriveStatus,
  errorInfo,
  type Observable,
  type StatusStore,
  type SyncClientStatus,
  type SyncState,
} from './status/index.js';
export { clientTables, syncAccount, syncQuarantine, syncRejections } from './tables/index.js';
export {
  type BatchLimits,
  backoffMs,
  classifyUpload,
  createUploader,
  isServerFault,
  type StuckUpload,
  type Uploader,
  type UploaderOptions,
  type UploadOutcome,
  type WireTransaction,
} from './upload/index.js';

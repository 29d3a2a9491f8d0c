export { ErrorCode, errorCatalog, isErrorCode } from './codes.js';
export { createLogger, type Logger, type LoggerOptions, type LogLevel } from './logger.js';
export { httpUrl, invalidOption, origins, positiveInt } from './options.js';
export { type ErrorBody, type ErrorDetails, SyncError, type SyncErrorOptions } from './sync-error.js';

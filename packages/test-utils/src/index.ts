export { type ApiUser, apiUploader, signUp } from './api-users.js';
export {
  type DeviceDatabase,
  type DeviceFactory,
  type SyncDevice,
  TestDevice,
  type TestDeviceOptions,
} from './device.js';
export { startTestJwks, type TestJwks } from './jwks.js';
export { quietLogger, testLogger } from './logger.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export {
  adminUrl,
  createTestDatabase,
  dropTestDatabase,
  type TestDatabase,
  useTestDatabase,
} from './test-database.js';
export { type WaitForOptions, waitFor } from './wait-for.js';

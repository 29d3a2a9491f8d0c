export {
  adminUrl,
  createTestDatabase,
  dropTestDatabase,
  type TestDatabase,
  useTestDatabase,
} from './test-database.js';
export { type WaitForOptions, waitFor } from './wait-for.js';

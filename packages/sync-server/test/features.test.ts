/**
 * Sync Streams subscriptions, priorities and checkpoint requests with `@powersync/node` over both
 * connection methods (suite: `suites/features.ts`; `features.browser.test.ts` runs it for `@powersync/web`).
 */
import { TestDevice } from '@syncline/test-utils';
import { describe } from 'vitest';
import { nodeFeatures } from './suites/feature-device.js';
import { featuresSuite } from './suites/features.js';

describe.each([
  ['http', 'http-bson'],
  ['web-socket', 'websocket'],
] as const)('@powersync/node over %s', (connectionMethod, transport) => {
  featuresSuite(
    async (options) => nodeFeatures(await TestDevice.open({ ...options, connectionMethod })),
    transport,
  );
});

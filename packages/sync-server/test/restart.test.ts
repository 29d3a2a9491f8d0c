/** Crash safety with `@powersync/node` over both connection methods (suite: `suites/restart.ts`). */
import { TestDevice } from '@syncline/test-utils';
import { describe } from 'vitest';
import { restartSuite } from './suites/restart.js';

describe.each(['http', 'web-socket'] as const)('@powersync/node over %s', (connectionMethod) => {
  restartSuite((options) => TestDevice.open({ ...options, connectionMethod }));
});

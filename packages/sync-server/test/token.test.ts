/** Token lifetime with `@powersync/node` over both connection methods (suite: `suites/token.ts`). */
import { TestDevice } from '@syncline/test-utils';
import { describe } from 'vitest';
import { tokenSuite } from './suites/token.js';

describe.each(['http', 'web-socket'] as const)('@powersync/node over %s', (connectionMethod) => {
  tokenSuite((options) => TestDevice.open({ ...options, connectionMethod }));
});

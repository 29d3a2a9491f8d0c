/**
 * Conformance of the official `@powersync/node` client over both connection methods: streamed HTTP (the
 * SDK's default; BSON by content negotiation) and RSocket over WebSocket. The suite is in
 * `suites/conformance.ts`; `conformance.browser.test.ts` runs it for `@powersync/web` in Chromium.
 */
import { TestDevice } from '@syncline/test-utils';
import { describe } from 'vitest';
import { conformanceSuite } from './suites/conformance.js';

describe.each([
  ['http', 'http-bson'],
  ['web-socket', 'websocket'],
] as const)('@powersync/node over %s', (connectionMethod, transport) => {
  conformanceSuite((options) => TestDevice.open({ ...options, connectionMethod }), transport);
});

/**
 * The official `@powersync/web` SDK in Chromium against Syncline's sync server, over both connection
 * methods: the conformance, token-lifetime, kill -9 and feature suites the Node SDK runs, unchanged, with
 * browser devices (`browser/harness.ts`). Every test fails on a checksum warning.
 */
import { launchChromium } from '@syncline/test-utils/browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { BrowserDevice, type PageServer, startPageServer } from './browser/harness.js';
import { conformanceSuite } from './suites/conformance.js';
import { featuresSuite } from './suites/features.js';
import { restartSuite } from './suites/restart.js';
import { tokenSuite } from './suites/token.js';

let browser: Browser;
let pages: PageServer;

beforeAll(async () => {
  pages = await startPageServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await pages?.stop();
});

describe.each([
  ['http', 'http-bson'],
  ['web-socket', 'websocket'],
] as const)('@powersync/web in Chromium over %s', (connectionMethod, transport) => {
  const open = (options: Parameters<typeof BrowserDevice.open>[2]) =>
    BrowserDevice.open(browser, pages.url, { ...options, connectionMethod });
  describe('conformance', () => conformanceSuite(open, transport));
  describe('token lifetime', () => tokenSuite(open));
  describe('kill -9', () => restartSuite(open));
  describe('features', () => featuresSuite(open, transport));
});

/**
 * Browser test harness: the stack exactly as `npm start` runs it (`runDev` with the notes config: API,
 * sync server and the web app's Vite dev server) on a fresh test database and free ports, and Debian's
 * Chromium driven by playwright-core. Each browser context is one device.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DevStack, runDev } from '@syncline/cli';
import { freePort } from '@syncline/postgres';
import { createTestDatabase, type TestDatabase } from '@syncline/test-utils';
import { launchChromium } from '@syncline/test-utils/browser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import config from '../syncline.config.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Screenshots and console logs: `test-results/browser/` at the repository root (git-ignored). */
export const ARTIFACTS = resolve(here, '../../../test-results/browser');

/** How long to wait for something the UI should show. */
export const UI_TIMEOUT = 30_000;

export interface WebStack {
  stack: DevStack;
  webUrl: string;
  lines: string[];
  stop(): Promise<void>;
}

/**
 * Starts what `npm start` starts, on a fresh database and free ports. `extraOrigins`: more browser origins
 * the API accepts (e.g. where a test serves the mobile app's web export).
 */
export async function startWebStack(prefix: string, extraOrigins: string[] = []): Promise<WebStack> {
  const db: TestDatabase = await createTestDatabase(prefix);
  const lines: string[] = [];
  const ports = {
    postgres: await freePort(),
    api: await freePort(),
    sync: await freePort(),
    web: await freePort(),
  };
  let stack: DevStack;
  try {
    const startApi = config.dev?.startApi;
    stack = await runDev({
      config: {
        ...config,
        dev: {
          ...config.dev,
          ...(startApi
            ? { startApi: (o) => startApi({ ...o, trustedOrigins: [...o.trustedOrigins, ...extraOrigins] }) }
            : {}),
        },
      },
      configPath: resolve(here, '../syncline.config.ts'),
      databaseUrl: db.url,
      ports,
      print: (l) => lines.push(l),
    });
  } catch (e) {
    await db.drop();
    throw e;
  }
  if (!stack.webUrl) throw new Error(`runDev started no web app; status lines:\n${lines.join('\n')}`);
  return {
    stack,
    webUrl: stack.webUrl,
    lines,
    async stop() {
      await stack.stop();
      await db.drop();
    },
  };
}

export { launchChromium };

/** Console lines that mean the app or the sync protocol is broken, whatever the test does. */
const FATAL = /checksum|mismatch|uncaught|unhandled|maximum update depth|each child in a list|invalid hook/i;
/** Console errors that are expected while a device is offline or a stream is cut. */
const EXPECTED_ERROR =
  /ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|ERR_CONNECTION_REFUSED|Failed to fetch|NetworkError|AbortError|aborted/i;

export interface Account {
  name: string;
  email: string;
  password: string;
}

/** One device: a browser context (its own storage: IndexedDB database, localStorage) and a page. */
export class Device {
  readonly console: string[] = [];
  /** Console lines that fail the test (see {@link assertHealthy}). */
  readonly problems: string[] = [];
  /** Console errors a test expects (see {@link expectConsoleErrors}). */
  private expected: RegExp[] = [];

  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (m) => {
      const line = `[${m.type()}] ${m.text()}`;
      this.console.push(line);
      const text = m.text();
      const expected = EXPECTED_ERROR.test(text) || this.expected.some((re) => re.test(text));
      if (FATAL.test(text) || (m.type() === 'error' && !expected)) {
        this.problems.push(line);
      }
    });
    page.on('pageerror', (e) => {
      const line = `[pageerror] ${e.message}`;
      this.console.push(line);
      this.problems.push(line);
    });
  }

  static async open(
    browser: Browser,
    name: string,
    url: string,
    viewport = { width: 1360, height: 820 },
    /** Runs on the new browser context before the page opens (routes, init scripts, bindings). */
    setup?: (context: BrowserContext) => Promise<void>,
  ): Promise<Device> {
    const context = await browser.newContext({ viewport });
    await setup?.(context);
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const device = new Device(name, context, page);
    await page.goto(url);
    return device;
  }

  /** Console errors matching `re` are expected from now on (e.g. the browser logging a 413 response). */
  expectConsoleErrors(re: RegExp): void {
    this.expected.push(re);
  }

  /** Fails with the offending console lines (once) if the page logged an error that matters. */
  assertHealthy(): void {
    const problems = this.problems.splice(0);
    if (problems.length) {
      throw new Error(`${this.name}: the page logged errors:\n${problems.join('\n')}`);
    }
  }

  async screenshot(name: string): Promise<void> {
    await mkdir(ARTIFACTS, { recursive: true });
    await this.page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  }

  async saveConsole(prefix: string): Promise<void> {
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(join(ARTIFACTS, `${prefix}-${this.name}-console.log`), `${this.console.join('\n')}\n`);
  }

  // ── account ──

  async signUp(a: Account): Promise<void> {
    await this.page.getByRole('button', { name: 'Create an account' }).click();
    await this.page.getByLabel('Name').fill(a.name);
    await this.fillCredentials(a);
    await this.page.getByRole('button', { name: 'Create account', exact: true }).click();
    await this.waitForWorkspace();
  }

  async signIn(a: Account): Promise<void> {
    await this.fillCredentials(a);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await this.waitForWorkspace();
  }

  async signOut(): Promise<void> {
    await this.page.getByLabel('Account').click();
    await this.page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
    await this.page.getByRole('form', { name: 'Sign in' }).waitFor();
  }

  private async fillCredentials(a: Account) {
    await this.page.getByLabel('Email').fill(a.email);
    await this.page.getByLabel('Password').fill(a.password);
  }

  private async waitForWorkspace() {
    await this.page.getByRole('button', { name: 'New document' }).waitFor();
  }

  /** The signed-in user's email, as the top bar shows it. */
  async signedInAs(): Promise<string> {
    return (await this.page.locator('.account-email').textContent()) ?? '';
  }

  // ── sync status ──

  async waitForState(state: string, extra = ''): Promise<void> {
    await this.page.locator(`[data-testid=sync-status][data-state=${state}]${extra}`).waitFor();
  }

  /** Synced with nothing left to upload. */
  async waitForSynced(): Promise<void> {
    await this.waitForState('synced', '[data-pending="0"]');
  }

  /**
   * From now on, records every value the status bar's pending-upload count takes in `window.__pendingSeen`
   * (a short-lived upload would be missed by polling).
   */
  async recordPendingUploads(): Promise<void> {
    await this.page.evaluate(`(() => {
      const el = document.querySelector('[data-testid=sync-status]');
      window.__pendingSeen = [el.dataset.pending];
      new MutationObserver(() => window.__pendingSeen.push(el.dataset.pending)).observe(el, { attributes: true });
    })()`);
  }

  async pendingUploads(): Promise<number> {
    return Number(await this.page.getByTestId('sync-status').getAttribute('data-pending'));
  }

  // ── documents ──

  /** Shows "All documents" (not a project, group or the trash). */
  async showAll(): Promise<void> {
    await this.page.getByRole('button', { name: /^All documents\s*\d*$/ }).click();
    await this.page.getByRole('heading', { name: 'All documents' }).waitFor();
  }

  /** Titles in the document list, in list order. */
  async titles(): Promise<string[]> {
    return this.page.locator('.doc-items .doc-title').allTextContents();
  }

  docItem(title: string) {
    return this.page.locator('.doc-item', { has: this.page.getByText(title, { exact: true }) });
  }

  async waitForDocument(title: string): Promise<void> {
    await this.docItem(title).first().waitFor();
  }

  async createDocument(title: string, content: string): Promise<void> {
    await this.page.getByRole('button', { name: 'New document' }).click();
    // The new, empty document is open once its title field has the focus.
    await this.page.locator('.title-input:focus').and(this.page.getByPlaceholder('Untitled')).waitFor();
    await expect.poll(() => this.page.getByLabel('Title').inputValue()).toBe('');
    await this.page.getByLabel('Title').fill(title);
    await this.page.getByLabel('Content').fill(content);
    await this.waitForSaved();
    await this.waitForDocument(title);
  }

  async openDocument(title: string): Promise<void> {
    await this.docItem(title).first().click();
    await expect.poll(() => this.page.getByLabel('Title').inputValue(), { timeout: UI_TIMEOUT }).toBe(title);
  }

  async editContent(content: string): Promise<void> {
    await this.page.getByLabel('Content').fill(content);
    await this.waitForSaved();
  }

  async content(): Promise<string> {
    return this.page.getByLabel('Content').inputValue();
  }

  async waitForContent(content: string): Promise<void> {
    await expect.poll(() => this.content(), { timeout: UI_TIMEOUT }).toBe(content);
  }

  async waitForSaved(): Promise<void> {
    await this.page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved/ })
      .waitFor();
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

export { expectFullyVisible, type Placement, placement } from './browser-layout.js';

/** A unique account for this run. */
export function account(name: string): Account {
  const tag = Math.random().toString(36).slice(2, 8);
  return { name, email: `${name.toLowerCase()}-${tag}@example.test`, password: `pw-${tag}-long-enough` };
}

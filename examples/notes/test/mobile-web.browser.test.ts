/**
 * The Expo app's web target (react-native-web; `@powersync/web` behind `database.web.ts`, `localStorage`
 * behind `sessions.web.ts`, NetInfo reading the browser's network state) in Chromium, against the stack
 * `npm start` runs: two phones of one user converge, one goes offline and comes back, and an account switch
 * sets the first user's unsynced changes aside for them only. Screenshots: `test-results/browser/mobile-*.png`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@syncline/postgres';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  account,
  Device,
  launchChromium,
  startWebStack,
  UI_TIMEOUT,
  type WebStack,
} from './browser-harness.js';
import { exportMobile, serveStatic } from './mobile-harness.js';

const PHONE = { width: 390, height: 844 };

/** The mobile UI, as a person taps through it. */
class Phone {
  constructor(readonly device: Device) {}
  get page() {
    return this.device.page;
  }
  status(state: string, pending?: number) {
    const label = pending === undefined ? `state ${state},` : `state ${state}, ${pending} pending,`;
    return this.page.locator(`[data-testid=sync-status][aria-label^="${label}"]`);
  }
  async waitForSynced() {
    await this.status('synced', 0).waitFor();
  }
  async signUp(a: Account) {
    await this.page.getByRole('button', { name: 'New here? Create an account' }).click();
    await this.page.getByLabel('Name').fill(a.name);
    await this.page.getByLabel('Email').fill(a.email);
    await this.page.getByLabel('Password').fill(a.password);
    await this.page.getByRole('button', { name: 'Create account' }).click();
    await this.home();
  }
  async signIn(a: Account) {
    await this.page.getByLabel('Email').fill(a.email);
    await this.page.getByLabel('Password').fill(a.password);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await this.home();
  }
  async signOut() {
    await this.page.getByRole('button', { name: 'Account' }).click();
    await this.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  }
  async home() {
    await this.page.getByRole('button', { name: 'All documents' }).waitFor();
  }
  async openAll() {
    await this.page.getByRole('button', { name: 'All documents' }).click();
    await this.page.getByLabel('Search documents').waitFor();
  }
  async back(label: string) {
    await this.page.getByRole('button', { name: label, exact: true }).click();
  }
  async titles(): Promise<string[]> {
    return this.page.getByTestId('doc-title').allTextContents();
  }
  /** On the documents screen: creates a document and comes back to the list. */
  async create(title: string, content: string) {
    await this.page.getByRole('button', { name: 'New document' }).click();
    await this.page.getByLabel('Title').fill(title);
    await this.page.getByLabel('Content').fill(content);
    await this.page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved/ })
      .waitFor();
    await this.back('Documents');
    await this.waitForTitle(title);
  }
  async waitForTitle(title: string) {
    await expect.poll(() => this.titles(), { timeout: UI_TIMEOUT }).toContain(title);
  }
  async open(title: string) {
    await this.page.getByRole('button', { name: title, exact: true }).click();
    await expect.poll(() => this.page.getByLabel('Title').inputValue(), { timeout: UI_TIMEOUT }).toBe(title);
  }
  async content() {
    return this.page.getByLabel('Content').inputValue();
  }
}

describe('notes mobile app (Expo web target)', () => {
  let web: WebStack;
  let browser: Browser;
  let dir: string;
  let site: { url: string; close(): Promise<void> } | undefined;
  const devices: Device[] = [];
  const alice = account('Alice');
  const bob = account('Bob');
  let one: Phone;
  let two: Phone;

  const open = async (name: string) => {
    const d = await Device.open(browser, name, site!.url, PHONE);
    d.expectConsoleErrors(/Multiple tab support is not enabled/);
    devices.push(d);
    return new Phone(d);
  };

  beforeAll(async () => {
    const port = await freePort();
    web = await startWebStack('mobile_web', [`http://127.0.0.1:${port}`]);
    dir = await mkdtemp(join(tmpdir(), 'notes-mobile-web-'));
    // The API's URL is set at run time (`config.web.ts`), so Metro's transform cache stays valid across runs.
    await exportMobile('web', join(dir, 'site'));
    site = await serveStatic(join(dir, 'site'), port, { apiUrl: web.stack.apiUrl });
    browser = await launchChromium();
  }, 900_000);

  afterEach(async (ctx) => {
    const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50);
    for (const d of devices) await d.saveConsole(`mobile-${name}`).catch(() => undefined);
    for (const d of devices) d.assertHealthy();
  });

  afterAll(async () => {
    for (const d of devices) await d.close().catch(() => undefined);
    await browser?.close();
    await site?.close();
    await web?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('two phones of one user converge', async () => {
    one = await open('phone-one');
    await one.page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await one.signUp(alice);
    await one.waitForSynced();
    await one.openAll();
    await one.page.getByText('No documents yet').waitFor();
    await one.create('Groceries', 'Milk, bread');
    await one.waitForSynced();
    await one.device.screenshot('mobile-01-phone-one-list');

    two = await open('phone-two');
    await two.signIn(alice);
    await two.waitForSynced();
    await two.openAll();
    await two.waitForTitle('Groceries');
    await two.open('Groceries');
    expect(await two.content()).toBe('Milk, bread');
    await two.page.getByLabel('Content').fill('Milk, bread, eggs');
    await two.page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved/ })
      .waitFor();
    await two.device.screenshot('mobile-02-phone-two-editor');
    await two.back('Documents');
    await two.waitForSynced();

    await one.open('Groceries');
    await expect.poll(() => one.content(), { timeout: UI_TIMEOUT }).toBe('Milk, bread, eggs');
    // Both edits are versions; the list's version counts come from the guarded async step.
    await one.page.getByRole('button', { name: 'Versions' }).click();
    await one.page
      .getByText(/another device/)
      .first()
      .waitFor();
    await one.page
      .getByText(/this device/)
      .first()
      .waitFor();
    await one.device.screenshot('mobile-03-versions');
    await one.back('Document');
    await one.back('Documents');
    const row = one.page.getByRole('button', { name: 'Groceries', exact: true });
    await expect
      .poll(async () => Number(/· (\d+) versions/.exec((await row.textContent()) ?? '')?.[1] ?? 0), {
        timeout: UI_TIMEOUT,
      })
      .toBeGreaterThanOrEqual(2);
  });

  it('a phone that goes offline keeps working and converges when it comes back', async () => {
    await two.device.context.setOffline(true);
    await two.status('offline').waitFor();
    await two.page.getByText('No network — changes stay on this phone until it is back.').waitFor();
    await two.create('Written offline', 'on the train');
    expect(await two.page.getByTestId('pending-uploads').textContent()).toMatch(/waiting to upload/);
    await two.device.screenshot('mobile-04-offline');

    await one.create('Written online', 'meanwhile');
    await one.waitForSynced();
    expect(await two.titles()).not.toContain('Written online');

    await two.device.context.setOffline(false);
    await two.waitForSynced();
    await two.waitForTitle('Written online');
    await one.waitForTitle('Written offline');
    expect((await one.titles()).sort()).toEqual((await two.titles()).sort());
  });

  it("an account switch sets the first user's unsynced changes aside, for them only", async () => {
    await two.device.context.setOffline(true);
    await two.status('offline').waitFor();
    await two.create('Unsynced draft', 'written offline, then signed out');
    await two.back('Notes');
    await two.signOut(); // works offline; the pending writes stay on the phone
    await two.device.context.setOffline(false);

    await two.signUp(bob);
    await two.waitForSynced();
    await two.openAll();
    await two.page.getByText('No documents yet').waitFor();
    expect(await two.titles()).toEqual([]); // none of Alice's data
    await two.create("Bob's note", 'only for Bob');
    await two.waitForSynced();
    await two.device.screenshot('mobile-05-bob');
    await one.waitForSynced();
    expect(await one.titles()).not.toContain('Unsynced draft'); // never uploaded with Bob's token
    expect(await one.titles()).not.toContain("Bob's note");

    await two.back('Notes');
    await two.signOut();
    await two.signIn(alice);
    const banner = two.page.getByLabel('Unsynced changes from an earlier session');
    await banner.getByText(/kept aside when another account signed in/).waitFor();
    await two.waitForSynced();
    await two.device.screenshot('mobile-06-changes-kept-aside');
    await banner.getByRole('button', { name: 'Restore' }).click();
    await two.openAll();
    await two.waitForTitle('Unsynced draft');
    expect(await two.titles()).not.toContain("Bob's note");
    await two.waitForSynced();
    await one.waitForTitle('Unsynced draft');
  });
});

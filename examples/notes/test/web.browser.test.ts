/**
 * The notes web app in Chromium against the stack `npm start` runs: devices are browser contexts (each its
 * own IndexedDB database and localStorage). Screenshots and console logs go to `test-results/browser/`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  account,
  Device,
  launchChromium,
  startWebStack,
  UI_TIMEOUT,
  type WebStack,
} from './browser-harness.js';

describe('notes web app', () => {
  let web: WebStack;
  let browser: Browser;
  const devices: Device[] = [];
  const alice = account('Alice');
  const bob = account('Bob');
  let laptop: Device; // Alice
  let phone: Device; // Alice
  let other: Device; // Bob

  const open = async (name: string) => {
    const d = await Device.open(browser, name, web.webUrl);
    devices.push(d);
    return d;
  };

  beforeAll(async () => {
    web = await startWebStack('web_app');
    browser = await launchChromium();
  });

  afterEach(async (ctx) => {
    const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    for (const d of devices) {
      await d.screenshot(`${name}-${d.name}`).catch(() => undefined);
      await d.saveConsole(name).catch(() => undefined);
    }
    for (const d of devices) d.assertHealthy();
  });

  afterAll(async () => {
    for (const d of devices) await d.close().catch(() => undefined);
    await browser?.close();
    await web?.stop();
  });

  it('prints the URLs and serves the app, the API and the sync server', async () => {
    expect(web.lines.some((l) => l.includes('web app') && l.includes(web.webUrl))).toBe(true);
    expect((await fetch(web.webUrl)).status).toBe(200);
    expect((await fetch(`${web.stack.apiUrl}/health`)).status).toBe(200);
    expect((await fetch(`${web.stack.syncUrl}/probes/liveness`)).status).toBe(200);
  });

  it('two devices of one user: a document created on one appears on the other', async () => {
    laptop = await open('alice-laptop');
    await laptop.page.getByRole('form', { name: 'Sign in' }).waitFor();
    await laptop.screenshot('00-sign-in');
    await laptop.signUp(alice);
    expect(await laptop.signedInAs()).toBe(alice.email);
    await laptop.waitForSynced();
    await laptop.page.getByText('No documents yet').waitFor();

    phone = await open('alice-phone');
    await phone.signIn(alice);
    await phone.waitForSynced();

    await laptop.createDocument('Shopping list', 'Milk\nBread');
    await laptop.waitForSynced();
    await phone.waitForDocument('Shopping list');
    await phone.openDocument('Shopping list');
    expect(await phone.content()).toBe('Milk\nBread');

    // The versions written on the laptop are on the phone too.
    await phone.page.getByRole('button', { name: 'Versions' }).click();
    const versions = phone.page.getByRole('complementary', { name: 'Versions' }).locator('.version-number');
    await versions.first().waitFor();
    expect(await versions.count()).toBeGreaterThanOrEqual(1);
    await phone.screenshot('01-phone-sees-laptop-document');
  });

  it('a device that goes offline keeps working and converges when it comes back', async () => {
    await phone.context.setOffline(true);
    await phone.waitForState('offline');

    // Offline writes show at once and queue up.
    await phone.editContent('Milk\nBread\nEggs (added offline)');
    await phone.createDocument('Written offline', 'on the phone, without a network');
    await expect.poll(() => phone.titles()).toContain('Written offline');
    await phone.waitForState('offline');
    expect(await phone.pendingUploads()).toBeGreaterThan(0);
    await phone.page.getByTestId('pending-uploads').waitFor();
    await phone.screenshot('02-phone-offline-with-pending-writes');

    // Meanwhile the laptop writes too; the offline phone does not get it.
    await laptop.createDocument('Written online', 'on the laptop, while the phone was offline');
    await laptop.waitForSynced();
    expect(await phone.titles()).not.toContain('Written online');
    expect(await laptop.titles()).not.toContain('Written offline');

    await phone.context.setOffline(false);
    await phone.waitForSynced();
    await laptop.waitForDocument('Written offline');
    await phone.waitForDocument('Written online');

    await laptop.openDocument('Shopping list');
    await laptop.waitForContent('Milk\nBread\nEggs (added offline)');
    await laptop.waitForSynced();
    // Both devices hold the same documents.
    expect([...(await laptop.titles())].sort()).toEqual([...(await phone.titles())].sort());
    expect((await laptop.titles()).sort()).toEqual(['Shopping list', 'Written offline', 'Written online']);
    await laptop.page.getByRole('button', { name: 'Versions' }).click();
    await laptop.page
      .getByText(/another device/)
      .first()
      .waitFor();
    await laptop.screenshot('03-laptop-after-phone-reconnected');
  });

  it("another user never sees the first user's documents", async () => {
    other = await open('bob');
    await other.signUp(bob);
    await other.waitForSynced();
    await other.page.getByText('No documents yet').waitFor();
    expect(await other.titles()).toEqual([]);

    await other.createDocument("Bob's private note", 'only for Bob');
    await other.waitForSynced();
    // Alice's devices are synced past Bob's write and still do not have it.
    await laptop.createDocument('After Bob wrote', 'a marker');
    await laptop.waitForSynced();
    await phone.waitForDocument('After Bob wrote');
    expect(await laptop.titles()).not.toContain("Bob's private note");
    expect(await phone.titles()).not.toContain("Bob's private note");
    await expect.poll(() => other.titles()).toEqual(["Bob's private note"]);
    await other.screenshot('04-bob-sees-only-his-note');
  });

  it("sign-out, then sign-in as another user on the same device shows none of the first user's data", async () => {
    await laptop.signOut();
    await laptop.signIn(bob);
    expect(await laptop.signedInAs()).toBe(bob.email);
    await laptop.waitForDocument("Bob's private note");
    await laptop.waitForSynced();
    await expect.poll(() => laptop.titles()).toEqual(["Bob's private note"]);
    const text = (await laptop.page.locator('body').textContent()) ?? '';
    for (const t of ['Shopping list', 'Written offline', 'Written online', 'After Bob wrote', alice.email]) {
      expect(text).not.toContain(t);
    }
    await laptop.screenshot('05-laptop-signed-in-as-bob');

    // And back: Alice's notes return from the server, Bob's are gone from the screen.
    await laptop.signOut();
    await laptop.signIn(alice);
    await laptop.waitForDocument('Shopping list');
    await laptop.waitForSynced();
    expect((await laptop.titles()).sort()).toEqual([
      'After Bob wrote',
      'Shopping list',
      'Written offline',
      'Written online',
    ]);
  });

  it('projects, groups, and the trash sync between devices', async () => {
    const { page } = laptop;
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByLabel('New project name').fill('Household');
    await page.getByLabel('New project name').press('Enter');
    await page.getByRole('heading', { name: 'Household' }).waitFor();
    await laptop.createDocument('Boiler service', 'Call on Monday');

    await page.getByRole('button', { name: 'New group' }).click();
    await page.getByLabel('New group name').fill('Urgent');
    await page.getByLabel('New group name').press('Enter');
    await page.getByRole('button', { name: 'Urgent', exact: true }).waitFor();
    await page.getByLabel('Add to group').selectOption({ label: 'Urgent' });
    await page.getByRole('button', { name: 'Remove from Urgent' }).waitFor();
    await laptop.waitForSynced();

    // The phone sees the project, the group and the membership.
    await phone.page.getByRole('button', { name: 'Urgent', exact: true }).click();
    await phone.page.getByRole('heading', { name: 'Urgent' }).waitFor();
    await expect.poll(() => phone.titles(), { timeout: UI_TIMEOUT }).toEqual(['Boiler service']);
    await phone.page.getByRole('button', { name: /^Household\s*\d*$/ }).click();
    await phone.page.getByRole('heading', { name: 'Household' }).waitFor();
    await expect.poll(() => phone.titles(), { timeout: UI_TIMEOUT }).toEqual(['Boiler service']);
    await phone.screenshot('06-phone-project-and-group');

    // Soft delete: to the trash on the laptop, gone from the phone's list, in its trash.
    await laptop.openDocument('Boiler service');
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await laptop.docItem('Boiler service').waitFor({ state: 'detached' });
    await laptop.waitForSynced();
    await phone.docItem('Boiler service').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await phone.page.getByRole('button', { name: 'Trash', exact: true }).click();
    await phone.waitForDocument('Boiler service');
    await phone.openDocument('Boiler service');
    await phone.page.getByRole('button', { name: 'Restore' }).click();
    await phone.waitForSynced();
    await laptop.showAll();
    await laptop.waitForDocument('Boiler service');
  });

  it('a change the server rejects is listed with its code, and can be retried or discarded', async () => {
    const { page } = laptop;
    laptop.expectConsoleErrors(/status of 413/); // the browser logs the API's refusal
    await phone.showAll();
    await laptop.createDocument('Too big to upload', 'small enough');
    await laptop.waitForSynced();
    // Over the API's 1 MiB request limit: the server refuses the edit (413 UPLOAD_BODY_TOO_LARGE).
    await page.getByLabel('Content').fill('x'.repeat(1_100_000));
    await laptop.waitForSaved();
    const review = page.getByRole('button', { name: /rejected changes? — Review/ });
    await review.waitFor();
    await laptop.waitForState('synced', '[data-pending="0"]');
    await review.click();
    const dialog = page.getByRole('dialog', { name: 'Rejected changes' });
    await dialog.getByText('UPLOAD_BODY_TOO_LARGE').first().waitFor();
    await laptop.screenshot('07-rejected-change');

    // Retry re-applies it as a new write (one pending upload); the server refuses it again.
    const rejected = Number(await page.getByTestId('sync-status').getAttribute('data-rejected'));
    expect(rejected).toBeGreaterThan(0);
    await laptop.recordPendingUploads();
    await dialog.getByRole('button', { name: 'Retry' }).first().click();
    await page.waitForFunction('window.__pendingSeen.some((n) => n !== "0")');
    await laptop.waitForState('synced', `[data-pending="0"][data-rejected="${rejected}"]`);

    // Discarding drops them for good; the document reverts to what the server has.
    const discard = dialog.getByRole('button', { name: 'Discard' });
    await expect.poll(() => discard.count()).toBe(rejected);
    for (let left = rejected; left > 0; left--) {
      await discard.first().click();
      await expect.poll(() => discard.count()).toBe(left - 1);
    }
    await dialog.getByText('Nothing left to review.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await review.waitFor({ state: 'detached' });
    await laptop.waitForContent('small enough');
    await phone.waitForDocument('Too big to upload');
    await phone.openDocument('Too big to upload');
    expect(await phone.content()).toBe('small enough');
  });

  it("one user's unsynced writes are set aside when another signs in, and offered back to their owner only", async () => {
    const { page } = laptop;
    await laptop.context.setOffline(true);
    await laptop.waitForState('offline');
    await laptop.createDocument('Unsynced draft', 'written offline, then signed out');
    expect(await laptop.pendingUploads()).toBeGreaterThan(0);
    await laptop.signOut(); // works offline; the pending writes stay on the device
    await laptop.context.setOffline(false);

    await laptop.signIn(bob);
    await laptop.waitForSynced();
    // The list re-renders from its live query a moment after the status turns "synced".
    await expect.poll(() => laptop.titles()).toEqual(["Bob's private note"]);
    await other.waitForSynced();
    await expect.poll(() => other.titles()).toEqual(["Bob's private note"]); // not uploaded with Bob's token
    await expect.poll(() => phone.titles()).not.toContain('Unsynced draft');

    await laptop.signOut();
    await laptop.signIn(alice);
    const banner = page.getByRole('region', { name: 'Unsynced changes from an earlier session' });
    await banner.waitFor();
    await laptop.waitForSynced();
    await laptop.screenshot('08-quarantined-writes-offered-back');
    await banner.getByRole('button', { name: 'Restore' }).click();
    await laptop.waitForDocument('Unsynced draft');
    await laptop.waitForSynced();
    await phone.waitForDocument('Unsynced draft');
  });
});

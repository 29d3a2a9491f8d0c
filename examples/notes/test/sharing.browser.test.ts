/**
 * Sharing and edit conflicts in the notes web app (issue 18), in Chromium against the stack `npm start` runs:
 * Alice shares a project with Bob by email as a viewer (he reads it, cannot change it), makes him an editor (his
 * edit reaches her), and stops sharing (the project leaves his device); two of Alice's devices edit the same
 * document offline and the one that syncs second resolves the conflict in the dialog, both ways.
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

describe('notes web app: sharing and conflicts', () => {
  let web: WebStack;
  let browser: Browser;
  const devices: Device[] = [];
  const alice = account('Alice');
  const bob = account('Bob');
  let laptop: Device; // Alice
  let phone: Device; // Alice
  let bobs: Device;

  const open = async (name: string) => {
    const d = await Device.open(browser, name, web.webUrl);
    devices.push(d);
    return d;
  };
  const projectButton = (d: Device, name: string) =>
    d.page.getByRole('button', { name: new RegExp(`^${name}`) });
  const shareDialog = (d: Device) => d.page.getByRole('dialog', { name: /^Share/ });

  beforeAll(async () => {
    web = await startWebStack('web_sharing');
    browser = await launchChromium();
  });
  afterEach(async (ctx) => {
    const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    for (const d of devices) {
      await d.screenshot(`sharing-${name}-${d.name}`).catch(() => undefined);
      await d.saveConsole(`sharing-${name}`).catch(() => undefined);
    }
    for (const d of devices) d.assertHealthy();
  });
  afterAll(async () => {
    for (const d of devices) await d.close().catch(() => undefined);
    await browser?.close();
    await web?.stop();
  });

  it('Alice shares a project with Bob by email as a viewer: he reads it, the editor is read-only for him', async () => {
    bobs = await open('bob');
    await bobs.signUp(bob);
    laptop = await open('alice-laptop');
    await laptop.signUp(alice);
    const { page } = laptop;
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByLabel('New project name').fill('Trip');
    await page.getByLabel('New project name').press('Enter');
    await page.getByRole('heading', { name: 'Trip' }).waitFor();
    await laptop.createDocument('Packing list', 'Passports');
    await laptop.createDocument('Private diary', 'not in the project');
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'No project' });
    await laptop.waitForSynced();

    await projectButton(laptop, 'Trip').hover();
    await page.getByRole('button', { name: 'Share Trip' }).click();
    const dialog = shareDialog(laptop);
    laptop.expectConsoleErrors(/status of 404/); // the lookup of an unknown address
    await dialog.getByLabel('Email address').fill('nobody@example.test');
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.getByText('No account uses this email address').waitFor();
    await dialog.getByLabel('Email address').fill(bob.email.toUpperCase());
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.getByRole('list', { name: 'People with access' }).getByText(bob.email).waitFor();
    await laptop.screenshot('sharing-01-share-dialog');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await laptop.waitForSynced();

    await projectButton(bobs, 'Trip').waitFor({ timeout: UI_TIMEOUT });
    await bobs.page.getByText('shared · viewer').waitFor();
    await bobs.showAll();
    await bobs.waitForDocument('Packing list');
    expect(await bobs.titles()).not.toContain('Private diary');
    await bobs.openDocument('Packing list');
    await bobs.page.getByTestId('read-only').waitFor();
    expect(await bobs.page.getByLabel('Content').getAttribute('readonly')).not.toBeNull();
    await bobs.page.getByLabel('Content').pressSequentially('x');
    expect(await bobs.content()).toBe('Passports');
    // A viewer gets no "New document" in the shared project.
    await projectButton(bobs, 'Trip').click();
    await bobs.page.getByRole('heading', { name: 'Trip' }).waitFor();
    expect(await bobs.page.getByRole('button', { name: 'New document' }).count()).toBe(0);
    await bobs.screenshot('sharing-02-bob-viewer');
  });

  it("made an editor, Bob's edit reaches Alice; removed, the project leaves his device", async () => {
    const { page } = laptop;
    await projectButton(laptop, 'Trip').hover();
    await page.getByRole('button', { name: 'Share Trip' }).click();
    const dialog = shareDialog(laptop);
    await dialog.getByLabel(`Role of ${bob.email}`).selectOption('editor');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await laptop.waitForSynced();

    await bobs.page.getByText('shared · editor').waitFor({ timeout: UI_TIMEOUT });
    await bobs.openDocument('Packing list');
    await bobs.page.getByTestId('read-only').waitFor({ state: 'detached' });
    await bobs.editContent('Passports\nTickets (Bob)');
    await bobs.waitForSynced();
    await laptop.openDocument('Packing list');
    await laptop.waitForContent('Passports\nTickets (Bob)');
    await laptop.screenshot('sharing-03-alice-sees-bobs-edit');

    await projectButton(laptop, 'Trip').hover();
    await page.getByRole('button', { name: 'Share Trip' }).click();
    await dialog.getByRole('button', { name: `Stop sharing with ${bob.email}` }).click();
    await dialog.getByText('Not shared with anyone yet.').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await laptop.waitForSynced();
    await projectButton(bobs, 'Trip').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await bobs.showAll();
    await expect.poll(() => bobs.titles(), { timeout: UI_TIMEOUT }).toEqual([]);
  });

  it('two devices edit a document offline: the one that syncs second shows both texts and keeps the chosen one', async () => {
    phone = await open('alice-phone');
    phone.expectConsoleErrors(/status of 409/); // the browser logs the API's conflict answer
    await phone.signIn(alice);
    await phone.waitForSynced();
    await laptop.createDocument('Itinerary', 'Day 1: arrive');
    await laptop.waitForSynced();
    await phone.showAll();
    await phone.openDocument('Itinerary');

    // Keep mine: the phone's text wins on every device.
    await laptop.context.setOffline(true);
    await phone.context.setOffline(true);
    await laptop.waitForState('offline');
    await phone.waitForState('offline');
    await laptop.editContent('Day 1: arrive\nDay 2: museum (laptop)');
    await phone.editContent('Day 1: arrive\nDay 2: beach (phone)');
    await laptop.context.setOffline(false);
    await laptop.waitForSynced();
    await phone.context.setOffline(false);
    const conflict = phone.page.getByRole('dialog', { name: /was changed on another device/ });
    await conflict.waitFor({ timeout: UI_TIMEOUT });
    expect(await conflict.getByTestId('conflict-mine').textContent()).toBe(
      'Day 1: arrive\nDay 2: beach (phone)',
    );
    expect(await conflict.getByTestId('conflict-theirs').textContent()).toBe(
      'Day 1: arrive\nDay 2: museum (laptop)',
    );
    await phone.screenshot('sharing-04-conflict-dialog');
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await conflict.waitFor({ state: 'detached' });
    await phone.waitForSynced();
    await phone.waitForContent('Day 1: arrive\nDay 2: beach (phone)');
    await laptop.waitForContent('Day 1: arrive\nDay 2: beach (phone)');

    // Keep theirs: the laptop's text stays, the phone's is dropped.
    await laptop.context.setOffline(true);
    await phone.context.setOffline(true);
    await laptop.waitForState('offline');
    await phone.waitForState('offline');
    await laptop.editContent('Final (laptop)');
    await phone.editContent('Final (phone)');
    await laptop.context.setOffline(false);
    await laptop.waitForSynced();
    await phone.context.setOffline(false);
    await conflict.waitFor({ timeout: UI_TIMEOUT });
    expect(await conflict.getByTestId('conflict-theirs').textContent()).toBe('Final (laptop)');
    await conflict.getByRole('button', { name: 'Keep theirs' }).click();
    await conflict.waitFor({ state: 'detached' });
    await phone.waitForContent('Final (laptop)');
    await phone.waitForSynced();
    expect(await laptop.content()).toBe('Final (laptop)');
    // Nothing left over: no rejected changes to review on the phone.
    await expect
      .poll(() => phone.page.getByTestId('sync-status').getAttribute('data-rejected'), {
        timeout: UI_TIMEOUT,
      })
      .toBe('0');
  });
});

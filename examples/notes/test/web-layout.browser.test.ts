/**
 * The web app on a phone (360×740) and a laptop (1280×800): every pane the user needs is on screen in full
 * (a test fails if the list, the editor or the versions panel is cut or the page scrolls sideways), phones
 * move between navigation, list and editor; messages lead with plain words and keep the code as a detail;
 * an empty project name says why nothing was created. Screenshots: `test-results/browser/layout-*.png`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  account,
  Device,
  expectFullyVisible,
  launchChromium,
  startWebStack,
  type WebStack,
} from './browser-harness.js';

const PHONE = { width: 360, height: 740 };
const LAPTOP = { width: 1280, height: 800 };

describe('notes web app layout and messages', () => {
  let web: WebStack;
  let browser: Browser;
  const devices: Device[] = [];
  const user = account('Pat');
  let phone: Device;
  let laptop: Device;

  beforeAll(async () => {
    web = await startWebStack('web_layout');
    browser = await launchChromium();
  });
  afterEach(async (ctx) => {
    const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    for (const d of devices) await d.saveConsole(`layout-${name}`).catch(() => undefined);
    for (const d of devices) d.assertHealthy();
  });
  afterAll(async () => {
    for (const d of devices) await d.close().catch(() => undefined);
    await browser?.close();
    await web?.stop();
  });

  it('a wrong password is explained in plain words, with the code as a detail', async () => {
    phone = await Device.open(browser, 'phone', web.webUrl, PHONE);
    devices.push(phone);
    const { page } = phone;
    phone.expectConsoleErrors(/status of 401/); // the browser logs the API's refusal
    await expectFullyVisible(page.getByRole('form', { name: 'Sign in' }), 'sign-in form', 280);
    await page.getByLabel('Email').fill('nobody@example.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text.startsWith('Wrong email or password.'), text).toBe(true);
    expect(await alert.locator('.error-code').textContent()).toBe('INVALID_EMAIL_OR_PASSWORD');
    await phone.screenshot('layout-360x740-sign-in-error');
  });

  it('at 360×740: the list, then the editor, then back, each on screen in full', async () => {
    const { page } = phone;
    await phone.signUp(user);
    await phone.waitForSynced();
    await expectFullyVisible(page.getByRole('region', { name: 'Documents' }), 'document list', 340);
    await expectFullyVisible(page.getByRole('button', { name: 'New document' }), '"New document"');
    await expectFullyVisible(page.getByTestId('sync-status'), 'status bar', 340);
    // The other panes are not squeezed next to the list: they are not shown at all.
    expect(await page.getByRole('navigation', { name: 'Navigation' }).isVisible()).toBe(false);
    expect(await page.getByRole('region', { name: 'Editor' }).isVisible()).toBe(false);

    await page.getByRole('button', { name: 'New document' }).click();
    await page.getByLabel('Title').fill('Phone note');
    await page.getByLabel('Content').fill('Written at 360 pixels wide.');
    await phone.waitForSaved();
    await expectFullyVisible(page.getByRole('region', { name: 'Editor' }), 'editor', 340);
    await expectFullyVisible(page.getByLabel('Title'), 'title field', 300);
    await expectFullyVisible(page.getByLabel('Content'), 'content field', 300);
    await expectFullyVisible(page.getByRole('button', { name: 'Versions' }), '"Versions"');
    await expectFullyVisible(page.getByRole('button', { name: 'Move to trash' }), '"Move to trash"');
    expect(await page.getByRole('region', { name: 'Documents' }).isVisible()).toBe(false);
    await phone.screenshot('layout-360x740-editor');

    await page.getByRole('button', { name: 'Versions' }).click();
    await expectFullyVisible(page.getByRole('complementary', { name: 'Versions' }), 'versions panel', 250);
    await page.getByRole('button', { name: 'Close versions' }).click();

    await page.getByRole('button', { name: '‹ Documents' }).click();
    await expectFullyVisible(phone.docItem('Phone note'), 'the new document in the list', 300);
    await phone.screenshot('layout-360x740-list');

    await page.getByRole('button', { name: 'Projects and groups' }).click();
    await expectFullyVisible(page.getByRole('navigation', { name: 'Navigation' }), 'navigation', 340);
    await phone.screenshot('layout-360x740-navigation');
  });

  it('an empty project name says why nothing was created', async () => {
    const { page } = phone;
    await page.getByRole('button', { name: 'New project' }).click();
    const field = page.getByLabel('New project name');
    await field.fill('   ');
    await field.press('Enter');
    const why = page.getByRole('alert').filter({ hasText: 'Give the project a name.' });
    await expectFullyVisible(why, 'the reason', 100);
    expect(await field.isVisible()).toBe(true); // still open, to type a name
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await phone.screenshot('layout-360x740-empty-project-name');
    await field.fill('Garden');
    await field.press('Enter');
    await page.getByRole('heading', { name: 'Garden' }).waitFor(); // the new project's (empty) list
    await expectFullyVisible(page.getByRole('region', { name: 'Documents' }), 'project list', 340);
  });

  it('at 1280×800: the three panes and the versions panel fit', async () => {
    laptop = await Device.open(browser, 'laptop', web.webUrl, LAPTOP);
    devices.push(laptop);
    const { page } = laptop;
    await laptop.signIn(user);
    await laptop.waitForSynced();
    await laptop.showAll();
    await laptop.openDocument('Phone note');
    await laptop.editContent('Written at 360 pixels wide.\nEdited on the laptop.');
    await page.getByRole('button', { name: 'Versions' }).click();
    const versions = page.getByRole('complementary', { name: 'Versions' });
    await versions.locator('.version-number').nth(1).waitFor();
    await versions.locator('.version-item').last().click();
    await versions.getByRole('button', { name: 'Restore this version' }).waitFor();

    await expectFullyVisible(page.getByRole('navigation', { name: 'Navigation' }), 'navigation', 180);
    await expectFullyVisible(page.getByRole('region', { name: 'Documents' }), 'document list', 250);
    await expectFullyVisible(page.getByRole('region', { name: 'Editor' }), 'editor', 500);
    await expectFullyVisible(page.getByLabel('Title'), 'title field', 300);
    await expectFullyVisible(page.getByLabel('Content'), 'content field', 300);
    await expectFullyVisible(versions, 'versions panel', 240);
    await expectFullyVisible(
      versions.getByRole('button', { name: 'Restore this version' }),
      '"Restore this version"',
    );
    for (const name of ['Versions', 'Move to trash']) {
      await expectFullyVisible(page.getByRole('button', { name, exact: true }), `"${name}"`);
    }
    await expectFullyVisible(page.getByRole('combobox', { name: 'Project', exact: true }), 'project picker');
    await laptop.screenshot('layout-1280x800-versions');
  });
});

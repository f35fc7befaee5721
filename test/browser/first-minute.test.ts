/**
 * The first minute on a real photo folder (issue 10): a folder whose images all sit in
 * subfolders opens on its images (folders open recursively; the URL can turn it off); cards of
 * files with the same name show their folder; the first keys pressed label at once, under a
 * session identity, before anyone has given a name.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeServed, type Served, serveGallery, until } from '@lenslet/test-kit';
import { launchBrowser } from '@lenslet/test-kit/browser';
import { makeBulkGallery } from '@lenslet/test-kit/fixtures';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeBrowser, serverItem, shot, textOf } from './support.ts';

const MS = 10_000;
const CAMERAS = 12;

describeBrowser('the first minute', () => {
  let dir: string;
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // cam00/640x480.jpg … cam11/640x480.jpg and one unique name; nothing at the top.
    dir = mkdtempSync(join(tmpdir(), 'lenslet-first-'));
    await makeBulkGallery(join(dir, 'src'), 1);
    const jpeg = join(dir, 'src', readdirSync(join(dir, 'src'))[0]!);
    const gallery = join(dir, 'gallery');
    for (let i = 0; i < CAMERAS; i++) {
      const cam = join(gallery, `cam${String(i).padStart(2, '0')}`);
      mkdirSync(cam, { recursive: true });
      copyFileSync(jpeg, join(cam, '640x480.jpg'));
    }
    copyFileSync(jpeg, join(gallery, 'cam03', 'unique.jpg'));
    served = await serveGallery(gallery);
    browser = await launchBrowser();
    // A first visit: nothing in this browser's storage, no name.
    context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    page = await context.newPage();
    await page.goto(served.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    removeServed(served);
    rmSync(dir, { recursive: true, force: true });
  });

  const names = () =>
    page.$$eval('.card[data-path]', (els) =>
      els.map(
        (e) => [e.getAttribute('data-path')!, e.querySelector('.name')!.textContent!] as const,
      ),
    );

  test('a folder whose images are all in subfolders opens on them', async () => {
    await until(async () => (await names()).length === CAMERAS + 1, MS, 'every image listed');
    expect(await page.locator('.empty').count()).toBe(0);
    expect(await page.isChecked('.check input')).toBe(true);
    expect(page.url()).not.toContain('recursive');
  });

  test('cards of files with the same name show their folder; a unique name does not', async () => {
    const shown = new Map(await names());
    for (let i = 0; i < CAMERAS; i++) {
      const cam = `cam${String(i).padStart(2, '0')}`;
      expect(shown.get(`/${cam}/640x480.jpg`)).toBe(`${cam}/640x480.jpg`);
    }
    expect(shown.get('/cam03/unique.jpg')).toBe('unique.jpg');
    await shot(page, 'first-minute-duplicate-names');
  });

  test('the first keys label at once, as a session; the name can come later', async () => {
    expect(await page.locator('.modal').count()).toBe(0);
    const first = (await page.getAttribute('.card.focus', 'data-path'))!;
    await page.keyboard.press('4');
    await until(async () => (await serverItem(served.url, first)).star === 4, MS, 'rated');
    const session = (await serverItem(served.url, first)).updated_by!;
    expect(session).toMatch(/^session:[0-9a-f]{8}$/);
    expect(await textOf(page, '.user')).toBe('Set your name');
    // The same browser stays the same session after a reload.
    await page.reload();
    await page.waitForSelector('.card.focus');
    await page.keyboard.press('ArrowRight');
    const second = (await page.getAttribute('.card.focus', 'data-path'))!;
    expect(second).not.toBe(first);
    await page.keyboard.press('2');
    await until(async () => (await serverItem(served.url, second)).star === 2, MS, 'rated again');
    expect((await serverItem(served.url, second)).updated_by).toBe(session);
    // Naming oneself later: later writes carry the name.
    await page.click('.user');
    await page.fill('.modal input[name=name]', 'Ana');
    await page.keyboard.press('Enter');
    await until(() => textOf(page, '.user').then((t) => t === 'Ana'), MS, 'name shown');
    await page.keyboard.press('5');
    await until(async () => (await serverItem(served.url, second)).star === 5, MS, 'rated as Ana');
    expect((await serverItem(served.url, second)).updated_by).toBe('Ana');
  });

  test('Subfolders off: the top folder alone, which is empty; the URL says so', async () => {
    await page.uncheck('.check input');
    await until(() => textOf(page, '.empty').then((t) => t.includes('No images')), MS, 'empty');
    await until(() => page.url().includes('recursive=0'), MS, 'recursive=0 in the URL');
    await page.goto(`${served.url}/?folder=/cam05&recursive=0`);
    await page.waitForSelector('.card[data-path]');
    // One 640x480.jpg in this view: no folder in front of it.
    expect(await names()).toEqual([['/cam05/640x480.jpg', '640x480.jpg']]);
  });
});

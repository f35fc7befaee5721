/**
 * The inspector's Quick View on a real `lenslet serve` of the original Lenslet's metadata fixture
 * (issue 10): the generation settings an A1111 PNG carries — prompt, negative prompt, seed, model —
 * read from the file through `GET /metadata`, and the prompt copied to the clipboard with its
 * button.
 */
import { join } from 'node:path';
import { ROOT, removeServed, type Served, serveGallery, until } from '@lenslet/test-kit';
import { launchBrowser } from '@lenslet/test-kit/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeBrowser, shot, textOf } from './support.ts';

const MS = 10_000;
const FIXTURE = join(ROOT, 'test', 'fixtures', 'original-metadata');
const A1111 = '/images/batch_b/img_0001.png';
const PROMPT = 'a ancient fox by the sea, highly detailed, 8k, row 1';

describeBrowser('the Quick View', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    served = await serveGallery(FIXTURE);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.url });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    removeServed(served);
  });

  test('the prompt and settings of an A1111 image, read from the file', async () => {
    await page.goto(`${served.url}/?item=${A1111}`);
    await until(() => textOf(page, '.quick .gtext').then((t) => t === PROMPT), MS, 'prompt');
    expect(await textOf(page, '.quick .gtext.neg')).toBe('blurry, lowres, bad anatomy');
    const settings = await textOf(page, '.quick .kv.gen');
    for (const shown of ['1302957854', '36', 'UniPC', '6.5', 'anything_v4', '768 × 768']) {
      expect(settings).toContain(shown);
    }
    await shot(page, 'quick-view');
  });

  test('Copy puts the prompt on the clipboard', async () => {
    await page.click('.quick .gprompt:has(.gtext:not(.neg)) .copy');
    await until(() => textOf(page, '.toast').then((t) => t === 'Copied prompt'), MS, 'toast');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(PROMPT);
  });
});

import { type Served, until } from '@lenslet/test-kit';
import { openApp } from '@lenslet/test-kit/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cardOf, describeBrowser, photoSuite, serverItem, shot, textOf } from './support.ts';

const LIVE_MS = 10_000;
/** Backoff grows to 30 s; a restart of a few seconds is noticed within ~10 s. */
const RESUME_MS = 40_000;

const isLive = (page: Page) => textOf(page, '.conn').then((t) => t === 'Live');

async function sseClients(url: string): Promise<number> {
  const res = await fetch(`${url}/presence/diagnostics`);
  return ((await res.json()) as { connected_sse_clients: number }).connected_sse_clients;
}

describeBrowser('resilience', () => {
  const suite = photoSuite();
  let served: Served;
  let browser: Browser;
  let a: Awaited<ReturnType<typeof openApp>>;
  let b: Awaited<ReturnType<typeof openApp>>;

  beforeAll(async () => {
    ({ served, browser } = await suite.setUp(24));
    a = await openApp(browser, served.url, 'ana');
    b = await openApp(browser, served.url, 'ben');
    await until(() => isLive(a.page), LIVE_MS, 'A live');
    await until(() => isLive(b.page), LIVE_MS, 'B live');
  }, 120_000);

  afterAll(suite.tearDown);

  test('8 tabs in one browser hold one stream between them and all stay live', async () => {
    const tabs = [b.page];
    for (let i = 1; i < 8; i++) {
      const page = await b.context.newPage();
      await page.goto(served.url);
      await page.waitForSelector('.card[data-path]');
      tabs.push(page);
    }
    for (const tab of tabs) await until(() => isLive(tab), LIVE_MS, 'tab live');
    // One stream for A's browser, one for B's eight tabs.
    await until(async () => (await sseClients(served.url)) === 2, LIVE_MS, 'two streams');
    const path = '/IMG_4005.jpg';
    await a.page.click(`.card[data-path="${path}"]`);
    await a.page.keyboard.press('5');
    for (const tab of tabs) {
      await until(
        async () => (await cardOf(tab, path))?.star === '5',
        LIVE_MS,
        'tab sees the star',
      );
    }
    // Close the leader: another tab takes over the stream and keeps everyone live.
    await tabs[0]!.close();
    await a.page.keyboard.press('2');
    for (const tab of tabs.slice(1)) {
      await until(
        async () => (await cardOf(tab, path))?.star === '2',
        LIVE_MS,
        'new leader relays',
      );
    }
    for (const tab of tabs.slice(2)) await tab.close();
    b.page = tabs[1]!;
  });

  test('the server restarts and both browsers resume without a reload', async () => {
    await served.stop();
    await until(() => textOf(a.page, '.conn').then((t) => t !== 'Live'), LIVE_MS, 'A notices');
    await until(
      () => textOf(a.page, '.conn').then((t) => t === 'Offline (polling)'),
      RESUME_MS,
      'polling',
    );
    await shot(a.page, 'offline-polling');
    await served.start();
    await until(() => isLive(a.page), RESUME_MS, 'A live again');
    await until(() => isLive(b.page), RESUME_MS, 'B live again');
    const path = '/IMG_4010.jpg';
    await a.page.click(`.card[data-path="${path}"]`);
    await a.page.keyboard.press('4');
    await until(
      async () => (await cardOf(b.page, path))?.star === '4',
      LIVE_MS,
      'B sees a new edit',
    );
    await until(
      () => textOf(b.page, '.presence').then((t) => t === '2 here'),
      RESUME_MS,
      'presence back',
    );
  }, 120_000);

  test('an edit made while the server is down is saved when it returns', async () => {
    await served.stop();
    const path = '/IMG_4000.jpg';
    await b.page.click(`.card[data-path="${path}"]`);
    await b.page.keyboard.press('3');
    await until(
      () => textOf(b.page, '.sync').then((t) => t.startsWith('Not saved — retry (1)')),
      LIVE_MS,
      'not saved',
    );
    expect((await cardOf(b.page, path))?.star).toBe('3');
    await shot(b.page, 'not-saved-retry');
    await served.start();
    await until(
      async () => (await serverItem(served.url, path)).star === 3,
      RESUME_MS,
      'saved after return',
    );
    await until(
      () => textOf(b.page, '.sync').then((t) => t === 'All changes saved'),
      RESUME_MS,
      'all saved',
    );
    await until(async () => (await cardOf(a.page, path))?.star === '3', RESUME_MS, 'A sees it');
  }, 120_000);

  test('…also when its tab was closed before the server came back', async () => {
    await served.stop();
    const path = '/IMG_4015.jpg';
    const context = a.context;
    await a.page.click(`.card[data-path="${path}"]`);
    await a.page.keyboard.press('1');
    await a.page.keyboard.press('t');
    await a.page.keyboard.type('offline-tag');
    await a.page.keyboard.press('Enter');
    await until(
      () => textOf(a.page, '.sync').then((t) => /Not saved|Saving/.test(t)),
      LIVE_MS,
      'pending',
    );
    await a.page.close();
    await served.start();
    expect((await serverItem(served.url, path)).star).toBeNull();
    const page = await context.newPage();
    await page.goto(served.url);
    await until(
      async () => {
        const item = await serverItem(served.url, path);
        return item.star === 1 && item.tags.includes('offline-tag');
      },
      RESUME_MS,
      'the closed tab’s edit is saved by the next page',
    );
    await until(
      () => textOf(page, '.sync').then((t) => t === 'All changes saved'),
      LIVE_MS,
      'saved',
    );
    a.page = page;
  }, 120_000);
});

import { type Served, until } from '@lenslet/test-kit';
import { openApp } from '@lenslet/test-kit/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeBrowser, photoSuite, serverItem, shot, textOf } from './support.ts';

const SAVE_MS = 10_000;

describeBrowser('keyboard only', () => {
  const suite = photoSuite();
  let served: Served;
  let browser: Browser;
  let page: Page;
  let order: string[];
  const bulkRequests: string[] = [];

  beforeAll(async () => {
    ({ served, browser } = await suite.setUp(30));
    ({ page } = await openApp(browser, served.url, 'kai', '/?recursive=1'));
    page.on('request', (r) => {
      if (r.url().endsWith('/items/patch')) bulkRequests.push(r.postData() ?? '');
    });
    order = await page.$$eval('.card[data-path]', (els) =>
      els.map((e) => e.getAttribute('data-path')!),
    );
    await until(() => textOf(page, '.conn').then((t) => t === 'Live'), SAVE_MS, 'live');
  }, 120_000);

  afterAll(suite.tearDown);

  const saved = () =>
    until(() => textOf(page, '.sync').then((t) => t === 'All changes saved'), SAVE_MS, 'saved');

  test('20 items rated, some tagged and annotated, without the mouse', async () => {
    expect(order.length).toBeGreaterThanOrEqual(20);
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press(String((i % 5) + 1));
      if (i % 4 === 0) {
        await page.keyboard.press('t');
        await page.keyboard.type(`batch-${i % 3}`);
        await page.keyboard.press('Enter');
        await page.keyboard.press('Escape');
      }
      if (i % 5 === 0) {
        await page.keyboard.press('n');
        await page.keyboard.type(`note ${i}`);
        await page.keyboard.press('Escape');
      }
      await page.keyboard.press(i % 2 === 0 ? 'ArrowRight' : 'd');
    }
    await saved();
    await shot(page, 'keyboard-20');
    for (let i = 0; i < 20; i++) {
      const item = await serverItem(served.url, order[i]!);
      expect(item.star, order[i]).toBe((i % 5) + 1);
      if (i % 4 === 0) expect(item.tags).toEqual([`batch-${i % 3}`]);
      if (i % 5 === 0) expect(item.notes).toBe(`note ${i}`);
      expect(item.updated_by).toBe('kai');
    }
    // The focus moved on past the 20th item.
    expect(await page.getAttribute('.card.focus', 'data-path')).toBe(order[20]);
  }, 120_000);

  test('a Shift-range is rated in one bulk request; Ctrl+Z undoes it', async () => {
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    expect(await textOf(page, '.insp-name')).toBe('4 selected');
    await page.keyboard.press('5');
    await saved();
    expect(bulkRequests).toHaveLength(1);
    const range = order.slice(20, 24);
    for (const p of range) expect((await serverItem(served.url, p)).star).toBe(5);
    await shot(page, 'bulk-selection');
    await page.keyboard.press('Control+z');
    await saved();
    await until(
      async () => {
        const items = await Promise.all(range.map((p) => serverItem(served.url, p)));
        return items.every((it) => it.star === null);
      },
      SAVE_MS,
      'bulk undone',
    );
  }, 60_000);

  test('Ctrl+Z undoes my last changes one by one, newest first', async () => {
    await page.keyboard.press('Escape');
    // Undo the last steps of the 20-item run: item 19's rating, then item 18's.
    await page.keyboard.press('Control+z');
    await until(
      async () => (await serverItem(served.url, order[19]!)).star === null,
      SAVE_MS,
      'item 19 undone',
    );
    expect((await serverItem(served.url, order[18]!)).star).toBe(4);
    await page.keyboard.press('Control+z');
    await until(
      async () => (await serverItem(served.url, order[18]!)).star === null,
      SAVE_MS,
      'item 18 undone',
    );
    await saved();
    const history = (await (
      await fetch(`${served.url}/item/history?path=${encodeURIComponent(order[19]!)}`)
    ).json()) as {
      records: {
        actor: string;
        changes: { kind: string; star?: number | null; from?: number | null }[];
      }[];
    };
    expect(history.records[0]!.changes).toEqual([{ kind: 'star_set', star: null, from: 5 }]);
  }, 60_000);

  test('? lists the shortcuts', async () => {
    await page.keyboard.press('?');
    await page.waitForSelector('.keys');
    expect(await textOf(page, '.keys')).toContain('Undo your last label change');
    await shot(page, 'shortcuts');
    await page.keyboard.press('Escape');
    expect(await page.locator('.keys').count()).toBe(0);
  });
});

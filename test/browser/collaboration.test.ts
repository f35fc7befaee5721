import { type Served, until } from '@lenslet/test-kit';
import { openApp } from '@lenslet/test-kit/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { cardOf, describeBrowser, photoSuite, serverItem, shot, textOf } from './support.ts';

const LIVE_MS = 10_000;

describeBrowser('two people on one folder', () => {
  const suite = photoSuite();
  let served: Served;
  let browser: Browser;
  let a: Page;
  let b: Page;
  const errors: string[][] = [];

  beforeAll(async () => {
    ({ served, browser } = await suite.setUp(24));
    const ana = await openApp(browser, served.url, 'ana');
    const ben = await openApp(browser, served.url, 'ben');
    a = ana.page;
    if (process.env.DEBUG_WEB)
      a.on(
        'request',
        (r) => r.method() !== 'GET' && console.log('A', r.method(), r.url(), r.postData()),
      );
    b = ben.page;
    errors.push(ana.errors, ben.errors);
    await until(() => textOf(a, '.conn').then((t) => t.includes('Live')), LIVE_MS, 'A live');
    await until(() => textOf(b, '.conn').then((t) => t.includes('Live')), LIVE_MS, 'B live');
  }, 120_000);

  afterAll(suite.tearDown);

  test('both see "2 here"', async () => {
    await until(() => textOf(a, '.presence').then((t) => t === '2 here'), LIVE_MS, 'A: 2 here');
    await until(() => textOf(b, '.presence').then((t) => t === '2 here'), LIVE_MS, 'B: 2 here');
    await shot(b, 'collab-presence');
  });

  test('A rates, tags and writes notes; B sees each with a flash and the banner', async () => {
    const path = '/IMG_4005.jpg';
    await a.click(`.card[data-path="${path}"]`);
    await a.keyboard.press('4');
    await until(async () => (await cardOf(b, path))?.star === '4', LIVE_MS, 'B sees the star');
    expect((await cardOf(b, path))?.flash).toBe(true);
    await until(
      () =>
        textOf(b, '.banner[data-kind=activity]').then((t) => t.includes('ana changed 1 item here')),
      LIVE_MS,
      'banner',
    );
    await shot(b, 'collab-remote-flash');

    await a.keyboard.press('t');
    await a.keyboard.type('sunset');
    await a.keyboard.press('Enter');
    await a.keyboard.press('Escape');
    await until(
      async () => (await cardOf(b, path))?.tags.includes('sunset'),
      LIVE_MS,
      'B sees the tag',
    );

    await a.keyboard.press('n');
    await a.keyboard.type('Horizon tilted, crop left');
    await a.keyboard.press('Escape');
    await until(
      async () => (await cardOf(b, path))?.notes === 'Horizon tilted, crop left',
      LIVE_MS,
      'B sees the notes',
    );

    // B's inspector on the same item updates in place.
    await b.click(`.card[data-path="${path}"]`);
    expect(await b.inputValue('.notes-input')).toBe('Horizon tilted, crop left');
    // A is now "editing" in B's pill.
    await until(
      () => b.getAttribute('.presence', 'data-editing').then((n) => n === '1'),
      LIVE_MS,
      'editing count',
    );
    const saved = await serverItem(served.url, path);
    expect(saved).toMatchObject({
      star: 4,
      tags: ['sunset'],
      notes: 'Horizon tilted, crop left',
      updated_by: 'ana',
    });
    await shot(b, 'collab-inspector-remote');
  });

  test('a conflict shows the badge; "Apply mine again" and "Keep theirs" both work', async () => {
    const path = '/IMG_4010.jpg';
    await a.click(`.card[data-path="${path}"]`);
    await b.click(`.card[data-path="${path}"]`);
    // B goes offline and rates; A rates meanwhile; B comes back with a stale version.
    await b.context().setOffline(true);
    await b.keyboard.press('2');
    await a.keyboard.press('5');
    await until(async () => (await serverItem(served.url, path)).star === 5, LIVE_MS, 'A saved');
    await b.context().setOffline(false);
    await b.evaluate(() => dispatchEvent(new Event('online')));
    await until(async () => (await cardOf(b, path))?.conflict, LIVE_MS, 'conflict badge');
    await until(
      () => textOf(b, '.conflict').then((t) => t.includes('ana')),
      LIVE_MS,
      'conflict panel',
    );
    expect(await textOf(b, '.conflict .mine')).toBe('2★');
    expect(await textOf(b, '.conflict .theirs')).toBe('5★');
    await shot(b, 'collab-conflict');
    await b.click('text=Apply mine again');
    await until(
      async () => (await serverItem(served.url, path)).star === 2,
      LIVE_MS,
      'mine applied',
    );
    await until(async () => (await cardOf(a, path))?.star === '2', LIVE_MS, 'A sees mine');
    expect((await cardOf(b, path))?.conflict).toBe(false);

    // Second conflict, resolved the other way.
    await b.context().setOffline(true);
    await b.keyboard.press('1');
    await a.keyboard.press('3');
    await until(
      async () => (await serverItem(served.url, path)).star === 3,
      LIVE_MS,
      'A saved again',
    );
    await b.context().setOffline(false);
    await b.evaluate(() => dispatchEvent(new Event('online')));
    await until(async () => (await cardOf(b, path))?.conflict, LIVE_MS, 'second conflict');
    await b.click('text=Keep theirs');
    await until(
      async () => {
        const card = await cardOf(b, path);
        return card?.star === '3' && !card.conflict;
      },
      LIVE_MS,
      'theirs kept',
    );
    expect((await serverItem(served.url, path)).star).toBe(3);
    await until(
      () => textOf(b, '.sync').then((t) => t === 'All changes saved'),
      LIVE_MS,
      'B saved',
    );
  });

  test('no page errors', () => {
    expect(errors.flat().filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});

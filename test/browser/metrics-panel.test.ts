/**
 * The metrics panel on a real `lenslet serve` of a photo folder whose scores were written through
 * `PUT /item/metrics` (issue 10): a histogram per metric, brushed by dragging (counts under every
 * other filter, checked against a direct computation over the scores written), the missing
 * toggle, a derived score typed with live validation and sorted by, the row's fields in the
 * inspector, and the whole state back from the URL after a reload.
 */
import type { Served } from '@lenslet/test-kit';
import { until } from '@lenslet/test-kit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeBrowser, photoSuite, shot, textOf } from './support.ts';

const MS = 10_000;
const N = 30;
const FOLDERS = ['', '/coast', '/coast/north', '/mountains', '/city'];

/** The photo gallery's paths (makePhotoGallery: IMG_4000… round-robin over five folders). */
const pathOf = (i: number) => `${FOLDERS[i % FOLDERS.length]}/IMG_${4000 + i}.jpg`;
/** Distinct scores in a scrambled order; every fourth item has no clip score. */
const round = (x: number) => Math.round(x * 10_000) / 10_000;
const ROWS = Array.from({ length: N }, (_, i) => ({
  path: pathOf(i),
  aesthetic: round(((i * 7) % 30) / 3 + i / 1000),
  clip: i % 4 === 0 ? null : round(((i * 11) % 30) / 30),
}));

describeBrowser('the metrics panel', () => {
  const suite = photoSuite();
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ({ served, browser } = await suite.setUp(N));
    for (const r of ROWS) {
      const metrics = { aesthetic: r.aesthetic, ...(r.clip === null ? {} : { clip: r.clip }) };
      const res = await fetch(`${served.url}/item/metrics?path=${encodeURIComponent(r.path)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-lenslet-user': 'scorer' },
        body: JSON.stringify({ metrics }),
      });
      expect(res.status, await res.text()).toBe(200);
    }
    const context = await browser.newContext({ viewport: { width: 1500, height: 900 } });
    page = await context.newPage();
    await page.goto(served.url);
  }, 120_000);

  afterAll(() => suite.tearDown());

  const metric = (field: string) => `.metrics .metric[data-field="${field}"]`;
  const count = () => textOf(page, '.topbar .count');
  const cardPaths = () =>
    page.$$eval('.card[data-path]', (els) =>
      els
        .map((e) => ({ path: e.getAttribute('data-path')!, box: e.getBoundingClientRect() }))
        .sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left)
        .map((e) => e.path),
    );

  test('one histogram per metric; the missing values counted apart', async () => {
    await page.waitForSelector(`${metric('aesthetic')} .hist`, { timeout: MS });
    await page.waitForSelector(`${metric('clip')} .hist`);
    expect(await textOf(page, `${metric('aesthetic')} .mcounts`)).toContain(`${N} with a value`);
    const missing = ROWS.filter((r) => r.clip === null).length;
    expect(await textOf(page, `${metric('clip')} .mcounts`)).toBe(
      `${N - missing} with a value${missing} missing`,
    );
    await shot(page, 'metrics-panel');
  });

  test('dragging across a histogram brushes it; every other histogram counts under it', async () => {
    const box = (await page.locator(`${metric('aesthetic')} .hist`).boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await until(() => new URL(page.url()).searchParams.has('r.aesthetic'), MS, 'brush in URL');
    const [lo, hi] = new URL(page.url()).searchParams.get('r.aesthetic')!.split('..');
    expect(hi).toBe(''); // the brush reaches the last bin: no upper bound
    const min = Number(lo);
    expect(min).toBeGreaterThan(0);
    const inside = ROWS.filter((r) => r.aesthetic >= min);
    await until(() => count().then((t) => t === `${inside.length} of ${N}`), MS, 'grid filtered');
    expect((await cardPaths()).sort()).toEqual(inside.map((r) => r.path).sort());
    // Its own histogram still shows every bin: the brush can be widened again.
    await until(
      () =>
        textOf(page, `${metric('aesthetic')} .mcounts`).then(
          (t) => t === `${inside.length} in · ${N - inside.length} out`,
        ),
      MS,
      'counts in and out',
    );
    // The clip histogram counts only the rows inside the aesthetic brush.
    const clipIn = inside.filter((r) => r.clip !== null).length;
    const missingIn = inside.length - clipIn;
    await until(
      () =>
        textOf(page, `${metric('clip')} .mcounts`).then(
          (t) => t === `${clipIn} with a value${missingIn > 0 ? `${missingIn} missing` : ''}`,
        ),
      MS,
      'clip counted under the brush',
    );
    await shot(page, 'metrics-brushed');
  });

  test('a derived score: a mistake shown as it is typed, then sorted by and shown on cards', async () => {
    await page.fill('#lenslet-formula', '2*clip - nope');
    await until(() => textOf(page, '.ferr').then((t) => t.includes('nope')), MS, 'error named');
    expect(await page.isDisabled('.formula button.primary')).toBe(true);
    await page.fill('#lenslet-formula', '2*clip - aesthetic');
    await until(() => textOf(page, '.fstatus').then((t) => t.includes('scored')), MS, 'ok');
    await page.press('#lenslet-formula', 'Enter');
    await until(() => page.url().includes('sort=metric'), MS, 'sorted by the score');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('metric:@derived');
    const min = Number(new URL(page.url()).searchParams.get('r.aesthetic')!.split('..')[0]);
    const scored = ROWS.filter((r) => r.aesthetic >= min && r.clip !== null)
      .map((r) => ({ path: r.path, score: 2 * r.clip! - r.aesthetic }))
      .sort((a, b) => b.score - a.score);
    const first = scored[0]!;
    await until(
      () => cardPaths().then((paths) => paths[0] === first.path),
      MS,
      'highest score first',
    );
    const shown = await textOf(page, `.card[data-path="${first.path}"] .cm`);
    expect(Number(shown)).toBeCloseTo(first.score, 2);
    await page.waitForSelector(`${metric('@derived')} .hist`);
    await shot(page, 'metrics-derived');
  });

  test('the missing toggle keeps only the rows without a value', async () => {
    await page.click(`${metric('clip')} .miss`);
    await until(() => new URL(page.url()).searchParams.has('miss'), MS, 'missing in URL');
    const min = Number(new URL(page.url()).searchParams.get('r.aesthetic')!.split('..')[0]);
    const gone = ROWS.filter((r) => r.aesthetic >= min && r.clip === null);
    await until(() => count().then((t) => t === `${gone.length} of ${N}`), MS, 'missing only');
    expect((await cardPaths()).sort()).toEqual(gone.map((r) => r.path).sort());
    await page.click(`${metric('clip')} .miss`); // → hide missing
    await page.click(`${metric('clip')} .miss`); // → any
    await until(() => !/[?&](miss|has)=/.test(new URL(page.url()).search), MS, 'toggle cleared');
  });

  test('the inspector lists the row fields; the view comes back from the URL', async () => {
    const [top] = await cardPaths();
    await page.click(`.card[data-path="${top}"]`);
    const row = ROWS.find((r) => r.path === top)!;
    await until(
      () => textOf(page, '.inspector .kv.fields').then((t) => t.includes('aesthetic')),
      MS,
      'row fields',
    );
    const fields = await textOf(page, '.inspector .kv.fields');
    // Four significant digits, marked as a label metric (written through the API).
    expect(fields).toContain(`aesthetic${Number(row.aesthetic.toPrecision(4))}label`);
    const before = await cardPaths();
    await page.reload();
    await page.waitForSelector(`${metric('aesthetic')}.brushed`, { timeout: MS });
    expect(await page.inputValue('#lenslet-formula')).toBe('2*clip - aesthetic');
    await until(
      () => cardPaths().then((p) => JSON.stringify(p) === JSON.stringify(before)),
      MS,
      'same order',
    );
  });

  test('a score written by a script while the page is open updates the counts', async () => {
    const min = Number(new URL(page.url()).searchParams.get('r.aesthetic')!.split('..')[0]);
    const inside = ROWS.filter((r) => r.aesthetic >= min).length;
    const outsider = ROWS.find((r) => r.aesthetic < min)!;
    const res = await fetch(
      `${served.url}/item/metrics?path=${encodeURIComponent(outsider.path)}`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-lenslet-user': 'scorer' },
        body: JSON.stringify({ metrics: { aesthetic: 9.5 } }),
      },
    );
    expect(res.status).toBe(200);
    await until(
      () =>
        textOf(page, `${metric('aesthetic')} .mcounts`).then(
          (t) => t === `${inside + 1} in · ${N - inside - 1} out`,
        ),
      MS,
      'counts updated live',
    );
  });
});

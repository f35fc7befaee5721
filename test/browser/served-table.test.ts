/**
 * A table served by the built CLI (`lenslet serve scores.parquet`, and a CSV of the same rows) in
 * real Chromium (issue 10): the grid in the table's order (not the names'), the categorical chips
 * with counts under the other filters that filter the grid when clicked, the row whose image file
 * does not exist shown as a missing card (not dropped), and a rewrite of the Parquet file — one
 * row added, one value changed — reaching the open page live (`table-updated`) without a reload.
 * The Parquet files are written by DuckDB, not by the reader's library.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { freePort, ManagedServer, until } from '@lenslet/test-kit';
import { HAS_CHROMIUM, launchBrowser } from '@lenslet/test-kit/browser';
import { makePhotoGallery } from '@lenslet/test-kit/fixtures';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeBrowser, shot, textOf } from './support.ts';

const MS = 15_000;
const IMAGES = 13;
const FOLDERS = ['', 'coast', 'coast/north', 'mountains', 'city'];
const STYLES = ['photo', 'render', 'sketch'];

type Row = { image_path: string; style: string; aesthetic: number };

/** The photo gallery's file of image i (makePhotoGallery: IMG_4000… over five folders). */
const fileOf = (i: number) =>
  [FOLDERS[i % FOLDERS.length], `IMG_${4000 + i}.jpg`].filter(Boolean).join('/');
const MISSING = 'gone/IMG_9999.jpg';

/** Images 0…11 in a scrambled order (neither name nor path order), the missing file in the middle. */
const ROWS: Row[] = [0, 7, 3, 10, 1, 8, 5, 11, 2, 9, 4, 6].map((i, k) => ({
  image_path: fileOf(i),
  style: STYLES[k % 5 === 0 ? 2 : k % 2]!,
  aesthetic: Math.round(((i * 7) % 12) * 100) / 100,
}));
ROWS.splice(6, 0, { image_path: MISSING, style: 'photo', aesthetic: 3.5 });

const pathOf = (row: Row) => `/${row.image_path}`;
const countsOf = (rows: Row[]) =>
  Object.fromEntries(STYLES.map((s) => [s, rows.filter((r) => r.style === s).length]));

async function writeParquet(file: string, rows: Row[]): Promise<void> {
  const values = rows
    .map((r) => `('${r.image_path}', '${r.style}', ${r.aesthetic.toFixed(2)}::DOUBLE)`)
    .join(', ');
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    // Written beside, then renamed over: the server never reads a half-written file.
    await connection.run(
      `COPY (SELECT * FROM (VALUES ${values}) t(image_path, style, aesthetic)) TO '${file}.tmp' (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    db.closeSync();
  }
  await rename(`${file}.tmp`, file);
}

const toCsv = (rows: Row[]) =>
  `image_path,style,aesthetic\r\n${rows.map((r) => `${r.image_path},"${r.style}",${r.aesthetic}`).join('\r\n')}\r\n`;

/** Visible cards' paths in reading order (rows top to bottom, left to right). */
const cardPaths = (page: Page) =>
  page.$$eval('.card[data-path]', (els) =>
    els
      .map((e) => ({ path: e.getAttribute('data-path')!, box: e.getBoundingClientRect() }))
      .sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left)
      .map((e) => e.path),
  );

/** The style chips as value → count. */
const chips = (page: Page) =>
  page.$$eval('.metrics .metric.cat[data-field="style"] .vchip', (els) =>
    Object.fromEntries(
      els.map((e) => {
        const n = e.querySelector('.n')?.textContent ?? '';
        return [(e.textContent ?? '').slice(0, -n.length || undefined), Number(n)];
      }),
    ),
  );

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

function describeServedTable(kind: 'parquet' | 'csv') {
  describeBrowser(`a served ${kind} table in the browser`, () => {
    let dir: string;
    let server: ManagedServer | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const table = () => join(dir, `scores.${kind}`);

    beforeAll(async () => {
      if (!HAS_CHROMIUM) throw new Error('Chromium missing: run scripts/install-browser.sh');
      dir = mkdtempSync(join(tmpdir(), `lenslet-table-${kind}-`));
      await makePhotoGallery(dir, IMAGES);
      if (kind === 'parquet') await writeParquet(table(), ROWS);
      else await writeFile(table(), `\uFEFF${toCsv(ROWS)}`);
      server = new ManagedServer({ args: [table()], port: await freePort() });
      await server.start(60_000);
      browser = await launchBrowser();
      const context = await browser.newContext({ viewport: { width: 1500, height: 1400 } });
      page = await context.newPage();
      await page.goto(`${server.url}/?sort=row`);
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop('SIGTERM', 10_000);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('the grid follows the table order; the missing file is a card that says so', async () => {
      expect(await page.inputValue('.sort select[aria-label="Sort"]')).toBe('row');
      const order = ROWS.map(pathOf);
      expect(sameList(order, [...order].sort())).toBe(false);
      await until(() => cardPaths(page).then((p) => sameList(p, order)), MS, 'table order');
      expect(await textOf(page, '.topbar .count')).toBe(String(ROWS.length));
      const missing = `.card[data-path="/${MISSING}"]`;
      expect(await textOf(page, `${missing} .thumb.gone`)).toBe('File missing');
      // Every other card shows its image (loaded from the file the row names).
      const present = ROWS.filter((r) => r.image_path !== MISSING).map(pathOf);
      await until(
        () =>
          page
            .$$eval(
              '.card[data-path] img',
              (imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length,
            )
            .then((n) => n === present.length),
        MS,
        'thumbnails loaded',
      );
      await shot(page, `served-table-${kind}`);
    });

    test('the categorical chips show their counts and filter the grid when clicked', async () => {
      await until(
        () => chips(page).then((c) => JSON.stringify(c) === JSON.stringify(sorted(countsOf(ROWS)))),
        MS,
        'chip counts',
      );
      await page.click('.metrics .metric.cat[data-field="style"] .vchip:has-text("render")');
      const render = ROWS.filter((r) => r.style === 'render');
      await until(
        () =>
          textOf(page, '.topbar .count').then((t) => t === `${render.length} of ${ROWS.length}`),
        MS,
        'grid filtered',
      );
      expect(await cardPaths(page)).toEqual(render.map(pathOf));
      // The chips still count under every other filter: the style filter does not hide the rest.
      expect(await chips(page)).toEqual(sorted(countsOf(ROWS)));
      await page.click('.metrics .metric.cat[data-field="style"] .vchip:has-text("render")'); // exclude
      await page.click('.metrics .metric.cat[data-field="style"] .vchip:has-text("render")'); // forget
      await until(
        () => textOf(page, '.topbar .count').then((t) => t === String(ROWS.length)),
        MS,
        'filter cleared',
      );
    });

    if (kind !== 'parquet') return;

    test('a rewritten table reaches the open page live, without a reload', async () => {
      await page.evaluate(() => {
        (window as unknown as { lensletMark: boolean }).lensletMark = true;
      });
      const added: Row = { image_path: fileOf(12), style: 'sketch', aesthetic: 9.9 };
      const changed = ROWS.find((r) => r.style === 'render')!;
      const next = [...ROWS.map((r) => (r === changed ? { ...r, style: 'photo' } : r)), added];
      await writeParquet(table(), next);
      await until(
        () => cardPaths(page).then((p) => sameList(p, next.map(pathOf))),
        MS,
        'the added row in table order',
      );
      expect(await textOf(page, '.topbar .count')).toBe(String(next.length));
      await until(
        () => chips(page).then((c) => JSON.stringify(c) === JSON.stringify(sorted(countsOf(next)))),
        MS,
        'chip counts after the rewrite',
      );
      expect(
        await page.evaluate(() => (window as unknown as { lensletMark?: boolean }).lensletMark),
      ).toBe(true);
    });
  });
}

/** Chips are listed by count, most first (ties by value): compare as that ordered object. */
function sorted(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
  );
}

describeServedTable('parquet');
describeServedTable('csv');

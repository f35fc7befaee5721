/**
 * Web client benchmark (`npm run bench:web`), in headless Chromium against a real server:
 *  - gzipped JS + CSS of the built client (target ≤ 60 KB; the original's React client: 185 KB);
 *  - time to first grid paint of a 10,000-item folder (navigation start → first card with its
 *    file name on screen; target ≤ 1 s), and to the first thumbnail;
 *  - DOM nodes while scrolling through 100,000 items (bounded by virtualization);
 *  - remote-edit-to-screen latency: a PATCH from another client until the card shows it.
 * Flags: --quick (20,000 items instead of 100,000; 3 runs instead of 5).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { percentile, ROOT, type Served, serveGallery } from '@lenslet/test-kit';
import { launchBrowser } from '@lenslet/test-kit/browser';
import { makeBulkGallery } from '@lenslet/test-kit/fixtures';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 5;
const BIG = quick ? 20_000 : 100_000;
/** Indexing 100,000 files before the first answer takes a while on a busy machine. */
const BIG_START_TIMEOUT_MS = 180_000;

const median = (xs: number[]) => percentile(xs, 0.5);
const rows: [string, string, string][] = [];
const report = (what: string, value: string, target = '') => {
  rows.push([what, value, target]);
  console.log(`${what.padEnd(46)} ${value.padEnd(26)} ${target}`);
};

// 1. Bundle size ------------------------------------------------------------------------------
execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'ignore' });
const gz = (f: string) =>
  gzipSync(readFileSync(join(ROOT, 'apps', 'web', 'dist', f)), { level: 9 }).length;
const js = gz('app.js');
const css = gz('app.css');
report(
  'gzipped JS + CSS',
  `${(js + css).toLocaleString('en')} B = ${((js + css) / 1024).toFixed(1)} KiB (JS ${js.toLocaleString('en')}, CSS ${css.toLocaleString('en')})`,
  'target ≤ 60 KB; original 185 KB',
);

const browser = await launchBrowser();
const temp: string[] = [];
const servers: Served[] = [];

/** Record when the first card with a name and the first loaded thumbnail appear. */
const PAINT_PROBE = () => {
  const w = window as unknown as { __paint: { cards?: number; thumb?: number } };
  w.__paint = {};
  new MutationObserver(() => {
    if (w.__paint.cards === undefined && document.querySelector('.card .name')) {
      w.__paint.cards = performance.now();
    }
    if (w.__paint.thumb === undefined && document.querySelector('.thumb.ok')) {
      w.__paint.thumb = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
};

/** First-paint samples of `url`: run 0 only warms the server (thumbnails, query), like a revisit. */
async function firstPaint(url: string): Promise<{ cards: number[]; thumbs: number[] }> {
  const cards: number[] = [];
  const thumbs: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(() => localStorage.setItem('lenslet.user', 'bench'));
    await context.addInitScript(PAINT_PROBE);
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => {
      const p = (window as unknown as { __paint: { cards?: number; thumb?: number } }).__paint;
      return p.cards !== undefined && p.thumb !== undefined;
    });
    const t = await page.evaluate(
      () => (window as unknown as { __paint: { cards: number; thumb: number } }).__paint,
    );
    if (run > 0) {
      cards.push(t.cards);
      thumbs.push(t.thumb);
    }
    await context.close();
  }
  return { cards, thumbs };
}

try {
  // 2. First grid paint, 10,000 items ---------------------------------------------------------
  const tenK = mkdtempSync(join(tmpdir(), 'lenslet-bench-10k-'));
  temp.push(tenK);
  await makeBulkGallery(tenK, 10_000);
  const served10k = await serveGallery(tenK, [], { start_timeout_ms: BIG_START_TIMEOUT_MS });
  servers.push(served10k);
  const { cards, thumbs } = await firstPaint(served10k.url);
  report(
    'first grid paint, 10,000 items (median)',
    `${median(cards).toFixed(0)} ms`,
    'target ≤ 1,000 ms',
  );
  report('first thumbnail shown, 10,000 items (median)', `${median(thumbs).toFixed(0)} ms`);

  // 4. Remote edit to screen ------------------------------------------------------------------
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript(() => localStorage.setItem('lenslet.user', 'viewer'));
  const page = await context.newPage();
  await page.goto(served10k.url);
  await page.waitForSelector('.card[data-path]');
  await page.waitForFunction(() => document.querySelector('.conn')?.textContent === 'Live');
  const paths = await page.$$eval('.card[data-path]', (els) =>
    els.slice(0, 20).map((e) => e.getAttribute('data-path')!),
  );
  const latencies: number[] = [];
  for (let i = 0; i < 40; i++) {
    const path = paths[i % paths.length]!;
    const star = (i % 5) + 1;
    // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
    const seen = page.evaluate<number>(`new Promise((resolve) => {
      const check = () => {
        const el = document.querySelector('.card[data-path="' + CSS.escape(${JSON.stringify(path)}) + '"]');
        if (el?.getAttribute('data-star') !== '${star}') return false;
        resolve(Date.now());
        return true;
      };
      if (check()) return;
      const mo = new MutationObserver(() => { if (check()) mo.disconnect(); });
      mo.observe(document.querySelector('.grid'), { subtree: true, attributes: true, childList: true });
    })`);
    const url = `${served10k.url}/item?path=${encodeURIComponent(path)}`;
    const { version } = (await (await fetch(url)).json()) as { version: number };
    const sent = Date.now();
    const res = await fetch(url, {
      method: 'PATCH',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': `bench-${process.pid}-${i}-${sent}`,
        'X-Lenslet-User': 'remote',
        Origin: served10k.url,
      },
      body: JSON.stringify({ set_star: star, base_version: version }),
    });
    if (!res.ok) throw new Error(`PATCH answered ${res.status}: ${await res.text()}`);
    latencies.push((await seen) - sent);
  }
  await context.close();
  report(
    'remote edit → screen (PATCH sent → card shows it)',
    `p50 ${median(latencies)} ms, p95 ${percentile(latencies, 0.95)} ms`,
    '40 edits, includes the fsync',
  );
  await served10k.stop();

  // 3. DOM nodes while scrolling a big folder -------------------------------------------------
  const big = mkdtempSync(join(tmpdir(), 'lenslet-bench-big-'));
  temp.push(big);
  await makeBulkGallery(big, BIG);
  const servedBig = await serveGallery(big, [], { start_timeout_ms: BIG_START_TIMEOUT_MS });
  servers.push(servedBig);
  const ctxBig = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await ctxBig.addInitScript(() => localStorage.setItem('lenslet.user', 'bench'));
  const pageBig = await ctxBig.newPage();
  await pageBig.goto(servedBig.url);
  await pageBig.waitForSelector('.card .name');
  const total = Number(
    await pageBig.evaluate(() => document.querySelector('.count')?.textContent?.replace(/\D/g, '')),
  );
  const counts: number[] = [];
  const count = () => pageBig.evaluate(() => document.getElementsByTagName('*').length);
  counts.push(await count());
  // Jump through the whole list, then scroll continuously with the wheel.
  for (let step = 1; step <= 20; step++) {
    await pageBig.evaluate((f) => {
      const g = document.querySelector('.grid')!;
      g.scrollTop = (g.scrollHeight - g.clientHeight) * f;
    }, step / 20);
    await pageBig.waitForTimeout(150);
    counts.push(await count());
  }
  await pageBig.mouse.move(700, 450);
  await pageBig.evaluate(() => {
    const g = document.querySelector('.grid')!;
    g.scrollTop = 0;
  });
  for (let i = 0; i < 60; i++) {
    await pageBig.mouse.wheel(0, 1200);
    if (i % 10 === 0) counts.push(await count());
  }
  await pageBig.waitForTimeout(300);
  counts.push(await count());
  await ctxBig.close();
  report(
    `DOM nodes while scrolling ${total.toLocaleString('en')} items`,
    `min ${Math.min(...counts)}, max ${Math.max(...counts)}`,
    `${counts.length} samples (jumps + wheel)`,
  );
  const bigPaint = await firstPaint(servedBig.url);
  report(
    `first grid paint, ${total.toLocaleString('en')} items (median)`,
    `${median(bigPaint.cards).toFixed(0)} ms`,
    `first thumbnail ${median(bigPaint.thumbs).toFixed(0)} ms`,
  );
} finally {
  await browser.close();
  for (const s of servers) await s.stop();
  for (const d of temp) rmSync(d, { recursive: true, force: true });
}

const [load1] = loadavg();
console.log(
  `\nmachine: ${cpus().length} CPUs, load average ${load1!.toFixed(1)} at the end of the run`,
);
console.log('\n| what | result | note |\n|---|---|---|');
for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);

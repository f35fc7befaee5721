/**
 * What the label log's integrity looks like to a person at the gallery (issue 12): after a power
 * cut, start-up sets aside a write that was never confirmed and the page says so once (until
 * dismissed); damage in the old history a snapshot covers is found by the background check and
 * shown as an error banner. In both cases labelling goes on and is saved.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJsonlStore } from '@lenslet/store';
import {
  FIXTURE_GALLERY,
  FIXTURE_LOGS,
  removeServed,
  type Served,
  serveGallery,
  until,
} from '@lenslet/test-kit';
import { launchBrowser, openApp } from '@lenslet/test-kit/browser';
import { generateLog } from '@lenslet/test-kit/fixtures';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { describeBrowser, serverItem, shot, textOf } from './support.ts';

const WAIT_MS = 30_000;
const GOLDEN = FIXTURE_LOGS;

let browser: Browser;
const made: string[] = [];
const served: Served[] = [];

/** A copy of the small gallery with `prepare` writing its `.lenslet/` workspace. */
function gallery(prepare: (workspace: string) => void | Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'lenslet-integrity-'));
  made.push(dir);
  cpSync(FIXTURE_GALLERY, dir, { recursive: true });
  const workspace = join(dir, '.lenslet');
  mkdirSync(workspace, { recursive: true });
  return Promise.resolve(prepare(workspace)).then(() => dir);
}

async function serve(dir: string): Promise<Served> {
  const s = await serveGallery(dir, ['--watch', 'off']);
  served.push(s);
  return s;
}

const banner = (page: Page, kind: string) => textOf(page, `.banner[data-kind="${kind}"]`);

/** Star the first card by keyboard and wait until the server holds it. */
async function starFirstCard(page: Page, url: string, star: string): Promise<void> {
  const card = page.locator('.card[data-path]').first();
  const path = (await card.getAttribute('data-path'))!;
  await card.click();
  await page.keyboard.press(star);
  await until(
    async () => (await serverItem(url, path)).star === Number(star),
    WAIT_MS,
    'the star is saved',
  );
}

describeBrowser('integrity banners', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);

  afterEach(async () => {
    for (const s of served.splice(0)) {
      await s.stop();
      removeServed(s);
    }
  });

  afterAll(async () => {
    await browser?.close();
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  test('a write cut by a power loss is set aside, said once, and labelling goes on', async () => {
    // Seqs 1–4 and a last line whose crc fails: the one write nobody was told was saved.
    const dir = await gallery((ws) =>
      writeFileSync(
        join(ws, 'labels.log.jsonl'),
        readFileSync(join(GOLDEN, 'torn-tail-bad-crc.jsonl')),
      ),
    );
    const s = await serve(dir);
    const app = await openApp(browser, s.url, 'ana');
    await until(
      async () => (await banner(app.page, 'recovery')) !== '',
      WAIT_MS,
      'the recovery banner',
    );
    const text = await banner(app.page, 'recovery');
    expect(text).toMatch(/interrupted write/);
    // Its one line is unreadable: no whole change was in it.
    expect(text).toMatch(
      /set aside the unreadable end of a change that was never confirmed \(\d+ bytes, kept in quarantine\//,
    );
    expect(text).toMatch(/Every confirmed change is kept/);
    // Nothing is wrong with the confirmed history: no error banner.
    expect(await banner(app.page, 'integrity')).toBe('');
    await shot(app.page, 'integrity-recovered');
    await app.page.click('.banner[data-kind="recovery"] button.x');
    await until(async () => (await banner(app.page, 'recovery')) === '', WAIT_MS, 'dismissed');
    // The four confirmed records are the head; a new label lands after them.
    await starFirstCard(app.page, s.url, '3');
    const health = (await (await fetch(`${s.url}/health`)).json()) as {
      labels: { seq: number };
    };
    expect(health.labels.seq).toBe(5);
    expect(await banner(app.page, 'recovery')).toBe('');
    await app.context.close();
  }, 120_000);

  test('damaged old history is reported by the background check while labels are still saved', async () => {
    const RECORDS = 2_000;
    const DAMAGED = 777;
    const dir = await gallery(async (ws) => {
      generateLog(ws, RECORDS, 100);
      // Open and close once: a snapshot at the head now covers every record.
      const store = await openJsonlStore(ws, { onWarning: () => {} });
      await store.close();
      const log = join(ws, 'labels.log.jsonl');
      const lines = readFileSync(log, 'utf8').split('\n');
      const target = lines[DAMAGED - 1]!;
      lines[DAMAGED - 1] = target.replace('"actor":"user', '"actor":"uzer');
      expect(lines[DAMAGED - 1]).not.toBe(target);
      writeFileSync(log, lines.join('\n'));
    });
    const s = await serve(dir);
    const app = await openApp(browser, s.url, 'ben');
    await until(
      async () => (await banner(app.page, 'integrity')) !== '',
      60_000,
      'the integrity banner',
    );
    const text = await banner(app.page, 'integrity');
    expect(text).toMatch(/label history on the server is damaged/);
    expect(text).toMatch(new RegExp(`line ${DAMAGED}:`));
    expect(text).toMatch(/lenslet compact --repair/);
    expect(text).toMatch(/New labels are still saved/);
    expect(await app.page.getAttribute('.banner[data-kind="integrity"]', 'role')).toBe('alert');
    await shot(app.page, 'integrity-damaged');
    await starFirstCard(app.page, s.url, '4');
    // A reload shows it again: the damage is still there.
    await app.page.reload();
    await app.page.waitForSelector('.card[data-path]');
    await until(
      async () => (await banner(app.page, 'integrity')) !== '',
      WAIT_MS,
      'still reported after a reload',
    );
    await app.context.close();
  }, 180_000);
});

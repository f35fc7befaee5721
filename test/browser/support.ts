/**
 * Browser test support (test/browser only): one suite's temp photo gallery, server and Chromium;
 * screenshots under test-results/screenshots/; and readers of what the page and the server show.
 * Launching Chromium, serving a gallery and opening the app are the test kit's.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, removeServed, type Served, serveGallery } from '@lenslet/test-kit';
import { HAS_CHROMIUM, launchBrowser } from '@lenslet/test-kit/browser';
import { makePhotoGallery } from '@lenslet/test-kit/fixtures';
import type { Browser, Page } from 'playwright-core';
import { describe } from 'vitest';

const SHOTS = join(ROOT, 'test-results', 'screenshots');

/** A browser suite: skipped only when Chromium is missing and LENSLET_SKIP_BROWSER=1 says so. */
export const describeBrowser = describe.skipIf(
  !HAS_CHROMIUM && process.env.LENSLET_SKIP_BROWSER === '1',
);

/** What a browser suite's beforeAll sets up: a temp photo gallery, its server, and Chromium. */
export type PhotoSuite = {
  readonly fixture: string;
  readonly served: Served;
  readonly browser: Browser;
};

/**
 * One suite's setup and tear-down. `setUp(images)` writes that many photos to a temp folder (then
 * `prepare` may add files to it), serves it and launches Chromium; `tearDown` closes the browser,
 * stops and removes every server (the suite's and any passed to `track`) and the folder — whatever
 * of that a failed `setUp` got to.
 */
export function photoSuite() {
  let fixture: string | undefined;
  let browser: Browser | undefined;
  const servers: Served[] = [];
  const track = (served: Served): Served => {
    servers.push(served);
    return served;
  };
  return {
    track,
    async setUp(images: number, prepare?: (fixture: string) => void): Promise<PhotoSuite> {
      if (!HAS_CHROMIUM) throw new Error('Chromium missing: run scripts/install-browser.sh');
      fixture = mkdtempSync(join(tmpdir(), 'lenslet-photos-'));
      await makePhotoGallery(fixture, images);
      prepare?.(fixture);
      const served = track(await serveGallery(fixture));
      browser = await launchBrowser();
      return { fixture, served, browser };
    },
    async tearDown(): Promise<void> {
      await browser?.close();
      for (const served of servers.splice(0)) {
        await served.stop();
        removeServed(served);
      }
      if (fixture) rmSync(fixture, { recursive: true, force: true });
    },
  };
}

/** Save a screenshot to test-results/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Labels of one item straight from the server. */
export async function serverItem(url: string, path: string) {
  const res = await fetch(`${url}/item?path=${encodeURIComponent(path)}`);
  return (await res.json()) as {
    star: number | null;
    tags: string[];
    notes: string;
    version: number;
    updated_by: string | null;
  };
}

/** A card's visible text parts. */
export async function cardOf(page: Page, path: string) {
  return page.evaluate((p) => {
    const el = document.querySelector(`.card[data-path="${CSS.escape(p)}"]`);
    if (!el) return null;
    return {
      star: el.getAttribute('data-star'),
      tags: el.querySelector('.tags')?.textContent ?? '',
      notes: el.querySelector('.has-notes')?.getAttribute('title') ?? '',
      flash: el.querySelector('.flash') !== null,
      conflict: el.querySelector('.conflict-badge') !== null,
      focused: el.classList.contains('focus'),
    };
  }, path);
}

/** Text of an element (or '' when absent). */
export async function textOf(page: Page, selector: string): Promise<string> {
  return (
    (await page
      .locator(selector)
      .first()
      .textContent({ timeout: 1_000 })
      .catch(() => '')) ?? ''
  );
}

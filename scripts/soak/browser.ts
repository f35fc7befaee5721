/**
 * A real person in Chromium during the soak: the web client opened on `browser/` (images no
 * simulated labeler touches), rating images with the keyboard while the server is killed and
 * restarted and the disk fails. Its IndexedDB outbox must keep every edit and deliver it: at
 * the end the page says "All changes saved" and the server has the last star set on each image.
 */

import { sleep } from '@lenslet/test-kit';
import { HAS_CHROMIUM, launchBrowser, openApp } from '@lenslet/test-kit/browser';
import type { Browser, Page } from 'playwright-core';
import type { Ledger } from './ledger.ts';
import type { Rng } from './rng.ts';

export const BROWSER_USER = 'soak-browser';

export { HAS_CHROMIUM };

export class BrowserLabeler {
  /** path → the star last set through the UI. */
  readonly intended = new Map<string, number>();
  readonly errors: string[] = [];
  #browser: Browser | null = null;
  #page: Page | null = null;
  #stopping = false;
  #done: Promise<void> | null = null;
  readonly #url: string;
  readonly #paths: readonly string[];
  readonly #rng: Rng;
  readonly #ledger: Ledger;

  constructor(url: string, paths: readonly string[], rng: Rng, ledger: Ledger) {
    this.#url = url;
    this.#paths = paths;
    this.#rng = rng;
    this.#ledger = ledger;
  }

  async start(): Promise<void> {
    this.#browser = await launchBrowser();
    const opened = await openApp(
      this.#browser,
      this.#url,
      BROWSER_USER,
      '/?folder=/browser&sort=name',
    );
    this.#page = opened.page;
    this.#page.on('pageerror', (e) => this.errors.push(String(e)));
    this.#done = this.#loop();
  }

  async #loop(): Promise<void> {
    const page = this.#page!;
    while (!this.#stopping) {
      await sleep(this.#rng.int(500, 1_500));
      if (this.#stopping) break;
      const path = this.#rng.pick(this.#paths);
      const star = this.#rng.int(1, 5);
      try {
        const card = page.locator(`.card[data-path="${path.replace(/"/g, '\\"')}"]`);
        await card.click({ timeout: 5_000 });
        await page.keyboard.press(String(star));
        const shown = await card.getAttribute('data-star', { timeout: 5_000 });
        if (shown === String(star)) {
          this.intended.set(path, star);
          this.#ledger.count('browser edits made through the UI');
          if (this.#ledger.within('down', this.#ledger.now(), 0)) {
            this.#ledger.count('browser edits made while the server was down');
          }
        } else {
          this.#ledger.count('browser key presses not shown on the card');
        }
      } catch (error) {
        this.#ledger.count('browser UI actions that failed');
        this.errors.push(`UI action: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  }

  /** Stop editing; wait until the page says every change is saved (its outbox is empty). */
  async drain(timeoutMs: number): Promise<string | null> {
    this.#stopping = true;
    await this.#done;
    const page = this.#page;
    if (!page) return 'the browser page never opened';
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const state = await page
        .locator('.sync')
        .first()
        .getAttribute('data-state', { timeout: 1_000 })
        .catch(() => null);
      if (state === 'saved') return null;
      if (performance.now() > deadline) {
        const text = await page
          .locator('.sync')
          .first()
          .textContent()
          .catch(() => '?');
        return `the page still says "${text}" after ${timeoutMs} ms`;
      }
      // "Not saved — retry" waits for its backoff; clicking it retries at once, as a user would.
      if (state === 'retrying')
        await page
          .locator('.sync')
          .first()
          .click()
          .catch(() => {});
      await sleep(250);
    }
  }

  async close(): Promise<void> {
    this.#stopping = true;
    await this.#done?.catch(() => {});
    await this.#browser?.close();
  }
}

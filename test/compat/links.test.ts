/**
 * The original Lenslet's links opened in Lenslet's own web client (issue 11, "its links"): the
 * original puts the folder in the hash (`#/<folder>`), the viewer's image after `#!`
 * (`#!/<image>`), and the view in the query (`sort=builtin:name:desc`, `filters=<its filter
 * JSON>`, `q=`, `random_seed=`). Each link must open the same view. `test.fails` marks what
 * Lenslet's client does not do yet (docs/compat-gaps.md, "Links"); when one starts passing, make
 * it a plain `test`.
 */
import { ensureBuilt, until } from '@lenslet/test-kit';
import { HAS_CHROMIUM, launchBrowser } from '@lenslet/test-kit/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTarget, type TargetServer } from './servers.ts';

const MS = 6_000;

const cardPaths = (page: Page) =>
  page.$$eval('.card[data-path]', (els) => els.map((e) => e.getAttribute('data-path')!));

describe.skipIf(!HAS_CHROMIUM && process.env.LENSLET_SKIP_BROWSER === '1')(
  "the original's links in Lenslet's client",
  () => {
    let server: TargetServer;
    let browser: Browser;

    beforeAll(async () => {
      await ensureBuilt();
      server = await startTarget('folder');
      browser = await launchBrowser();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    async function open(link: string): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(() => localStorage.setItem('lenslet.user', 'links'));
      const page = await context.newPage();
      await page.goto(`${server.url}${link}`);
      return page;
    }

    test('a plain link opens the gallery (control)', async () => {
      const page = await open('/?folder=/batch_b');
      await until(async () => (await cardPaths(page)).length > 0, MS, 'cards');
      expect((await cardPaths(page)).every((p) => p.startsWith('/batch_b/'))).toBe(true);
      await page.context().close();
    });

    test.fails('#/<folder> opens that folder', async () => {
      const page = await open('/#/batch_b');
      await until(
        async () => {
          const paths = await cardPaths(page);
          return paths.length > 0 && paths.every((p) => p.startsWith('/batch_b/'));
        },
        MS,
        'cards of /batch_b',
      );
      await page.context().close();
    });

    test.fails('#!/<image> opens the viewer on that image', async () => {
      const page = await open('/#!/batch_c/img_0002.png');
      await until(
        async () =>
          (await page.locator('.viewer-bar .name').first().textContent({ timeout: 200 })) ===
          'img_0002.png',
        MS,
        'the viewer on img_0002.png',
      );
      await page.context().close();
    });

    test.fails('?sort=builtin:name:desc sorts by name, descending', async () => {
      const page = await open('/?sort=builtin:name:desc#/batch_a');
      await until(
        async () => (await cardPaths(page))[0] === '/batch_a/img_0297.png',
        MS,
        'name desc',
      );
      await page.context().close();
    });

    test.fails("?filters=<the original's filter JSON> filters the view", async () => {
      const filters = encodeURIComponent(
        JSON.stringify({ and: [{ nameContains: { value: 'img_001' } }] }),
      );
      const page = await open(`/?filters=${filters}#/batch_a`);
      await until(
        async () =>
          (await cardPaths(page)).sort().join() ===
          '/batch_a/img_0012.png,/batch_a/img_0015.jpg,/batch_a/img_0018.png',
        MS,
        'the three names with img_001',
      );
      await page.context().close();
    });

    test.fails('?q= with #/<folder> searches that folder', async () => {
      const page = await open('/?q=img_001#/batch_b');
      await until(async () => (await cardPaths(page)).length === 4, MS, 'four matches in /batch_b');
      await page.context().close();
    });
  },
);

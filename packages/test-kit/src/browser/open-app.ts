import type { Browser } from 'playwright-core';

const VIEWPORT = { width: 1400, height: 860 };

/**
 * Open the web client as a named user (the name prompt is skipped by presetting it) and wait for
 * the first card. `errors` collects page errors and console errors as they happen.
 */
export async function openApp(browser: Browser, url: string, user: string, path = '/') {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript((name) => {
    if (!localStorage.getItem('lenslet.user')) localStorage.setItem('lenslet.user', name);
  }, user);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${url}${path}`);
  await page.waitForSelector('.card[data-path]');
  return { context, page, errors };
}

/**
 * Browser test support: Debian's Chromium through playwright-core, the built CLI (`lenslet
 * serve`) on a free port over a temp copy of a gallery, screenshots under
 * test-results/screenshots/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { makePhotoGallery } from './make-gallery.ts';

export const CHROMIUM = process.env.LENSLET_CHROMIUM ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'screenshots');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Launch Chromium (playwright gives each launch a fresh --user-data-dir). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * A free port below Linux's ephemeral range (32768+), so a server restarted on the same port
 * cannot lose it to another test's listen(0) meanwhile.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** Every server this process started: killed when it exits, whatever the test did. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export type Served = {
  readonly url: string;
  readonly dir: string;
  readonly port: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Start again on the same port and folder (restart test). */
  start(): Promise<void>;
  readonly output: () => string;
};

/** Copy `fixture` to a temp dir and serve it on a free port; resolves once it answers /health. */
export async function serveGallery(
  fixture = join(ROOT, 'test', 'fixtures', 'gallery'),
  extraArgs: string[] = [],
): Promise<Served> {
  if (!existsSync(join(ROOT, 'apps', 'web', 'dist', 'index.html'))) {
    throw new Error('the web client is not built: run `npm run build` first');
  }
  const dir = mkdtempSync(join(tmpdir(), 'lenslet-web-'));
  cpSync(fixture, dir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = '';
  const manifest = JSON.parse(readFileSync(join(ROOT, 'apps', 'cli', 'package.json'), 'utf8'));
  const cli = join(ROOT, 'apps', 'cli', manifest.bin.lenslet as string);
  const start = async (): Promise<void> => {
    const args = [cli, 'serve', dir, '--port', String(port), '--strict-port', ...extraArgs];
    child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const spawned = child;
    children.add(spawned);
    spawned.once('exit', () => children.delete(spawned));
    child.stdout!.on('data', (d) => {
      log += d;
    });
    child.stderr!.on('data', (d) => {
      log += d;
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited: ${log}`);
      try {
        // Any answer means it is up (a token-protected server answers 401).
        const res = await fetch(`${url}/health`);
        if (res.status < 500) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`server did not start: ${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => c.kill('SIGKILL'), 10_000);
      c.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      c.kill(signal);
    });
  };
  await start();
  return {
    url,
    dir,
    port,
    start,
    output: () => log,
    async stop(signal) {
      await stop(signal);
    },
  };
}

export function cleanup(served: Served | undefined): void {
  if (served) rmSync(served.dir, { recursive: true, force: true });
}

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
        cleanup(served);
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

/** Open the app as a named user (skips the name prompt by presetting it). */
export async function openApp(browser: Browser, url: string, user: string, path = '/') {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
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

/** Poll `fn` until it returns a truthy value (or throw after `ms`). */
export async function until<T>(
  fn: () => Promise<T> | T,
  ms = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
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

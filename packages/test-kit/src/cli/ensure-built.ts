/**
 * `ensureBuilt()` runs `npm run build` when the CLI bundle is missing or older than any source
 * file, under a cross-process lock so parallel test files and scripts never build over each other.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../repo.ts';
import { sleep } from '../wait.ts';

const BUNDLE = join(ROOT, 'apps/cli/dist/lenslet.mjs');
const LOCK = join(tmpdir(), 'lenslet-e2e-build.lock');
const LOCK_STALE_MS = 120_000;
/** What the bundles are built from. */
const SOURCES = [
  'packages/core/src',
  'packages/store/src',
  'packages/gallery/src',
  'packages/postgres/src',
  'packages/server/src',
  'apps/cli/src',
  'apps/web/src',
];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|tsx|css|html)$/.test(entry.name))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function bundleIsFresh(): boolean {
  let built: number;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    return false;
  }
  return SOURCES.every((dir) => {
    try {
      return newestSource(join(ROOT, dir)) <= built;
    } catch {
      return true;
    }
  });
}

async function lock(): Promise<void> {
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmdirSync(LOCK);
      } catch {}
      if (Date.now() > deadline) throw new Error('timed out waiting for another e2e build');
      await sleep(200);
    }
  }
}

/** Build the CLI and the web client unless the bundle is newer than every source file. */
export async function ensureBuilt(): Promise<void> {
  await lock();
  try {
    if (!bundleIsFresh())
      execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], {
        cwd: ROOT,
        stdio: 'ignore',
      });
  } finally {
    rmdirSync(LOCK);
  }
}

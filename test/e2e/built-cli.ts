/**
 * The built CLI for e2e tests: `ensureBuilt()` runs `npm run build` when the bundle is missing or
 * older than any source file, under a cross-process lock so parallel test files never build over
 * each other; `spawnCli()` starts `bin/lenslet.cjs` and collects its output.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'apps/cli/bin/lenslet.cjs');
const BUNDLE = join(ROOT, 'apps/cli/dist/lenslet.mjs');
const LOCK = join(tmpdir(), 'lenslet-e2e-build.lock');

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
  const sources = [
    'packages/core/src',
    'packages/store/src',
    'packages/gallery/src',
    'packages/server/src',
    'apps/cli/src',
    'apps/web/src',
  ];
  return sources.every((dir) => {
    try {
      return newestSource(join(ROOT, dir)) <= built;
    } catch {
      return true;
    }
  });
}

export async function ensureBuilt(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 120_000) rmdirSync(LOCK);
      } catch {}
      if (Date.now() > deadline) throw new Error('timed out waiting for another e2e build');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
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

export type CliRun = {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves when stdout matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
};

export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: CliRun = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = run.stdout.match(pattern);
          if (match) {
            cleanup();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `timed out waiting for ${pattern}; stdout:\n${run.stdout}\nstderr:\n${run.stderr}`,
            ),
          );
        }, timeoutMs);
        const onExit = () => {
          cleanup();
          reject(
            new Error(
              `lenslet exited before ${pattern}; stdout:\n${run.stdout}\nstderr:\n${run.stderr}`,
            ),
          );
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.off('exit', onExit);
        };
        child.stdout!.on('data', check);
        child.on('exit', onExit);
        check();
      });
    },
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    run.stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    run.stderr += chunk;
  });
  return run;
}

/**
 * The servers a recording is replayed against, each `lenslet serve` (the built CLI) on a fresh
 * copy of the original's fixture:
 * - `folder`: the images folder itself (what the original served in folder mode: /batch_a/…);
 * - `portable`: a folder that holds `images/`, so paths are the table recording's
 *   (/images/batch_a/…) and every table-mode pair that does not need table columns replays as is;
 * - `table`: gallery.parquet next to its images (table mode, issue 10).
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ManagedServer } from '@lenslet/test-kit';
import { ORIGINAL_API } from './recordings.ts';

export type Target = 'folder' | 'portable' | 'table';

export type TargetServer = {
  readonly target: Target;
  readonly url: string;
  readonly port: number;
  /** Everything the server wrote to stderr (its banner) so far. */
  stderr(): string;
  stop(): Promise<void>;
};

const FIXTURE = join(ORIGINAL_API, 'table');

/**
 * One modification time for every copied file: a copy's times are whatever the copy took (files
 * land within the same millisecond or not), so windows sorted by `added` would differ from run
 * to run and the known-gaps list could not be exact. With equal times the order is the server's
 * tie-break alone: the same on every run and machine.
 */
const FIXED_TIME = new Date('2026-01-01T00:00:00Z');
function sameFileTimes(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) utimesSync(join(entry.parentPath, entry.name), FIXED_TIME, FIXED_TIME);
  }
}

/** Start `lenslet serve` on a fresh copy; `prepare` may add files (e.g. a workspace) first. */
export async function startTarget(
  target: Target,
  prepare?: (served: string) => void,
): Promise<TargetServer> {
  const dir = mkdtempSync(join(tmpdir(), `lenslet-compat-${target}-`));
  const served = join(dir, 'served');
  if (target === 'folder') cpSync(join(FIXTURE, 'images'), served, { recursive: true });
  else if (target === 'portable') {
    cpSync(join(FIXTURE, 'images'), join(served, 'images'), { recursive: true });
  } else cpSync(FIXTURE, served, { recursive: true });
  sameFileTimes(served);
  prepare?.(served);
  const port = await freePort();
  const args = [target === 'table' ? join(served, 'gallery.parquet') : served];
  const server = new ManagedServer({ args, port });
  await server.start(60_000);
  return {
    target,
    url: server.url,
    port,
    stderr: () => server.stderr(),
    async stop() {
      await server.stop('SIGTERM', 10_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

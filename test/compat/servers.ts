/**
 * The servers a recording is replayed against, each `lenslet serve` (the built CLI) on a fresh
 * copy of the original's fixture:
 * - `folder`: the images folder itself (what the original served in folder mode: /batch_a/…);
 * - `portable`: a folder that holds `images/`, so paths are the table recording's
 *   (/images/batch_a/…) and every table-mode pair that does not need table columns replays as is;
 * - `table`: gallery.parquet next to its images (table mode, issue 10).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ManagedServer } from '@lenslet/test-kit';
import { ORIGINAL_API } from './recordings.ts';

export type Target = 'folder' | 'portable' | 'table';

export type TargetServer = {
  readonly target: Target;
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
};

const FIXTURE = join(ORIGINAL_API, 'table');

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
  prepare?.(served);
  const port = await freePort();
  const args = [target === 'table' ? join(served, 'gallery.parquet') : served];
  const server = new ManagedServer({ args, port });
  await server.start(60_000);
  return {
    target,
    url: server.url,
    port,
    async stop() {
      await server.stop('SIGTERM', 10_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

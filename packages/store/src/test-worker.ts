/**
 * Test support: the background worker bundled the way `npm run build` ships it (esbuild, one
 * .mjs file), so tests exercise the real worker thread. Node 20 cannot load a .ts worker entry
 * through `--import tsx` (the loader hooks do not reach the worker's entry module).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { WorkerOption } from './store-options.ts';

let bundled: Promise<WorkerOption> | null = null;

/** Bundle `snapshot-worker.ts` once per process and return the worker option. */
export function testWorker(): Promise<WorkerOption> {
  bundled ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'lenslet-worker-'));
    const outfile = join(outdir, 'snapshot-worker.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./snapshot-worker.ts', import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      logLevel: 'warning',
    });
    return { url: pathToFileURL(outfile) };
  })();
  return bundled;
}

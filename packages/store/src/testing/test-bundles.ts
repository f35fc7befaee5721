/**
 * Test support: entry points bundled the way `npm run build` ships the worker (esbuild, one .mjs
 * file), so tests run real threads and processes. Node 20 cannot load a .ts worker entry through
 * `--import tsx` (the loader hooks do not reach the worker's entry module).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { WorkerOption } from '../background/runner.ts';

const bundles = new Map<string, Promise<URL>>();

/** The entry points tests bundle, relative to this file. */
const ENTRIES = {
  'snapshot-worker': '../background/snapshot-worker.ts',
  'sigkill-child': './sigkill-child.ts',
} as const;

/** Bundle an entry point (with everything it imports) once per process; resolves its URL. */
export function bundleForTest(entry: keyof typeof ENTRIES): Promise<URL> {
  let bundled = bundles.get(entry);
  if (!bundled) {
    bundled = (async () => {
      const outfile = join(mkdtempSync(join(tmpdir(), 'lenslet-bundle-')), `${entry}.mjs`);
      await build({
        entryPoints: [fileURLToPath(new URL(ENTRIES[entry], import.meta.url))],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'esm',
        logLevel: 'warning',
        banner: {
          js: "import { createRequire as __lensletRequire } from 'node:module'; const require = __lensletRequire(import.meta.url);",
        },
      });
      return pathToFileURL(outfile);
    })();
    bundles.set(entry, bundled);
  }
  return bundled;
}

/** The background worker, bundled. */
export async function testWorker(): Promise<WorkerOption> {
  return { url: await bundleForTest('snapshot-worker') };
}

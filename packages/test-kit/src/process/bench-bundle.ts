import { join } from 'node:path';
import { bundleForNode } from '../esbuild.mjs';
import { ROOT } from '../repo.ts';

/** Inside node_modules, so a bundle's external npm imports resolve as the CLI bundle's do. */
const BENCH_BUNDLES = join(ROOT, 'node_modules', '.lenslet-bench');

/**
 * Bundle `entry` as `npm run build` bundles the CLI (so a benchmark measures what production runs,
 * on plain node, not through tsx), into node_modules/.lenslet-bench/<name>.mjs; resolves its path.
 */
export async function bundleForBench(entry: string, name: string): Promise<string> {
  const outfile = join(BENCH_BUNDLES, `${name}.mjs`);
  await bundleForNode({ entryPoints: [entry], outfile });
  return outfile;
}

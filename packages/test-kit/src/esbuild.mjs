// esbuild for Node, the one way the repository bundles its own code: `npm run build` (the CLI and
// its snapshot worker) and the benchmarks that run a server as production does. Plain JavaScript,
// because scripts/build.mjs runs on plain node (types: esbuild.d.mts beside this file).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const WORKSPACE_FOLDERS = ['packages', 'apps'];

/** The store's snapshot worker: the CLI bundle's second entry point (it runs in a worker thread). */
export const SNAPSHOT_WORKER_SOURCE = join(
  ROOT,
  'packages/store/src/background/snapshot-worker.ts',
);

/** Every workspace package: name → { dir, exports }. */
function workspacePackages() {
  const packages = new Map();
  for (const folder of WORKSPACE_FOLDERS) {
    for (const name of readdirSync(join(ROOT, folder))) {
      const dir = join(ROOT, folder, name);
      let manifest;
      try {
        manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      packages.set(manifest.name, { dir, exports: manifest.exports ?? {} });
    }
  }
  return packages;
}

/**
 * `@lenslet/<name>[/<subpath>]` resolves to the source file its package's `exports` names, and is
 * bundled; every other bare import (npm packages, `node:` built-ins) stays external, resolved from
 * node_modules at run time (sharp is native and cannot be bundled anyway).
 */
export function workspaceSources() {
  const packages = workspacePackages();
  return {
    name: 'workspace-sources',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const match = /^(@lenslet\/[^/]+)(\/.+)?$/.exec(args.path);
        if (!match) return { path: args.path, external: true };
        const pkg = packages.get(match[1]);
        const target = pkg?.exports[match[2] ? `.${match[2]}` : '.'];
        if (typeof target !== 'string') {
          return { errors: [{ text: `${args.path} is not exported by a workspace package` }] };
        }
        return { path: join(pkg.dir, target) };
      });
    },
  };
}

/** Lets bundled CommonJS dependencies call `require` inside the ESM bundle. */
const REQUIRE_BANNER =
  "import { createRequire as __lensletRequire } from 'node:module'; const require = __lensletRequire(import.meta.url);";

/**
 * Bundle Node entry points as `npm run build` ships the CLI: ESM for Node 20, workspace packages
 * from source, npm packages external. Give `outdir` (files named after `entryPoints`' keys, .mjs)
 * or `outfile` (one entry point).
 */
export async function bundleForNode({ entryPoints, outdir, outfile, sourcemap = false }) {
  await esbuild.build({
    entryPoints,
    ...(outdir === undefined ? { outfile } : { outdir, outExtension: { '.js': '.mjs' } }),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: sourcemap ? 'linked' : false,
    plugins: [workspaceSources()],
    banner: { js: REQUIRE_BANNER },
    logLevel: 'warning',
  });
}

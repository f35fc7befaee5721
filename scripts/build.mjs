// Build everything `lenslet serve` runs: the CLI bundle (Node) and the web client (browser).
// Workspace packages are bundled from source; third-party packages stay external (sharp is native).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p) => JSON.parse(readFileSync(join(root, p), 'utf8'));

/**
 * Build into a fresh temp directory and swap it in, so a build never leaves a half-written
 * bundle for a CLI that another process (a test, a running server restart) is starting.
 */
async function buildInto(outdir, build) {
  const tmp = `${outdir}.tmp-${process.pid}`;
  const old = `${outdir}.old-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await build(tmp);
  if (existsSync(outdir)) renameSync(outdir, old);
  renameSync(tmp, outdir);
  rmSync(old, { recursive: true, force: true });
}

/** Third-party dependencies of every workspace package: kept external in the Node bundle. */
function externals() {
  const names = new Set();
  for (const dir of [
    'packages/core',
    'packages/store',
    'packages/gallery',
    'packages/table',
    'packages/server',
    'apps/cli',
  ]) {
    for (const dep of Object.keys(read(`${dir}/package.json`).dependencies ?? {})) {
      if (!dep.startsWith('@lenslet/')) names.add(dep);
    }
  }
  return [...names];
}

async function buildCli() {
  await buildInto(join(root, 'apps/cli/dist'), (outdir) => bundleCli(outdir));
}

async function bundleCli(outdir) {
  const entryPoints = { lenslet: join(root, 'apps/cli/src/cli.ts') };
  const worker = join(root, 'packages/store/src/snapshot-worker.ts');
  if (existsSync(worker)) entryPoints['snapshot-worker'] = worker;
  await esbuild.build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'linked',
    external: externals(),
    banner: {
      js: "import { createRequire as __lensletRequire } from 'node:module'; const require = __lensletRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

/**
 * Parts of zod 4 the browser never runs but cannot tree-shake (they are wired into every schema
 * class): the JSON Schema generator (throwing stubs) and the English issue texts (the browser
 * only checks success; failures read "Invalid input"). About 6.5 KB gzipped off the web bundle.
 */
const zodForBrowser = {
  name: 'zod-for-browser',
  setup(build) {
    build.onLoad(
      { filter: /zod[\\/]v4[\\/]core[\\/](json-schema-processors|to-json-schema)\.js$/ },
      (args) => {
        const names = [
          ...readFileSync(args.path, 'utf8').matchAll(/export (?:function|const|class) (\w+)/g),
        ].map((m) => m[1]);
        const stub =
          "const stub = () => { throw new Error('JSON Schema output is not in the web bundle'); };";
        return {
          contents: `${stub}\nexport { ${names.map((n) => `stub as ${n}`).join(', ')} };`,
          loader: 'js',
        };
      },
    );
    build.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/]en\.js$/ }, () => ({
      contents: 'export default function () { return {}; }',
      loader: 'js',
    }));
  },
};

async function buildWeb() {
  const entry = join(root, 'apps/web/src/main.tsx');
  if (!existsSync(entry)) return;
  await buildInto(join(root, 'apps/web/dist'), (outdir) => bundleWeb(entry, outdir));
}

async function bundleWeb(entry, outdir) {
  await esbuild.build({
    entryPoints: { app: entry },
    outdir,
    bundle: true,
    minify: true,
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    format: 'esm',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    loader: { '.svg': 'text' },
    plugins: [zodForBrowser],
  });
  const html = join(root, 'apps/web/src/index.html');
  if (existsSync(html)) writeFileSync(join(outdir, 'index.html'), readFileSync(html));
}

const started = Date.now();
await Promise.all([buildCli(), buildWeb()]);
console.log(`built in ${Date.now() - started} ms`);

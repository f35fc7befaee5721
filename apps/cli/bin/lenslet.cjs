#!/bin/sh
':' //; flags='--max-semi-space-size=32'; case "$NODE_OPTIONS" in *semi-space-size*) flags='';; esac; exec node $flags "$0" "$@"
// Entry point of the `lenslet` bin: runs the bundled CLI (built by `npm run build`).
//
// Two languages in one file. Run as a program (`npx lenslet`, `npm start`, a global install), the
// kernel hands it to /bin/sh, which reads the line above: `':'` is a no-op and `exec` replaces the
// shell with node, started with a young generation of up to 32 MB per semi-space instead of
// V8's default, on this same file and the same process id (signals reach the server directly).
// Node skips the first line, and reads the second as a string and a comment. A larger young
// generation means a third as many scavenges: about a fifth less CPU for a cold open of a
// million records, and half the GC time under 500 live streams (docs/benchmarks.md, "A larger
// young generation, set by the bin"). V8 sizes it when node starts, so it cannot be set from
// here. A semi-space size in NODE_OPTIONS is the user's choice and wins; `node <this file>`
// runs without it. The tests start node with the same flags, read from this line
// (packages/test-kit/src/cli/bin-launch.ts). biome.json leaves this file unformatted: the
// formatter would put a semicolon after ':', and the shell would then run `//` as a command.
//
// CommonJS on purpose. libuv creates its thread pool (file I/O, fsync, sharp) the first time
// anything uses it, reading UV_THREADPOOL_SIZE only then; Node loads an ES module entry with
// asynchronous file reads, which creates the pool before the module's first statement runs. A
// CommonJS entry is read synchronously, so the size set here is the one the pool gets.
// 16 = THREAD_POOL_SIZE in packages/gallery/src/thread-pool.ts; a larger value set by the user wins.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const MIN_THREAD_POOL_SIZE = 16;
const current = Number.parseInt(process.env.UV_THREADPOOL_SIZE || '', 10);
if (!(current >= MIN_THREAD_POOL_SIZE))
  process.env.UV_THREADPOOL_SIZE = String(MIN_THREAD_POOL_SIZE);

const bundle = join(__dirname, '..', 'dist', 'lenslet.mjs');
if (!existsSync(bundle)) {
  process.stderr.write('lenslet: the CLI is not built yet; run "npm run build" in the checkout\n');
  process.exit(1);
}
import(pathToFileURL(bundle).href).catch((error) => {
  process.stderr.write(`lenslet: ${error?.stack ?? error}\n`);
  process.exit(1);
});

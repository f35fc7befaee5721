#!/usr/bin/env node
// Entry point of the `lenslet` bin: runs the bundled CLI (built by `npm run build`).
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

/**
 * libuv's thread pool (4 threads by default) runs file I/O, fsync and sharp's pipelines alike. If
 * thumbnails took every thread, the label log's fsyncs would queue behind them, so the CLI
 * raises the pool size at start-up and thumbnails are capped well below it.
 *
 * The pool is created the first time anything uses it and reads UV_THREADPOOL_SIZE only then.
 * Node loads an ES module entry with asynchronous file reads, which create the pool before the
 * module's first statement runs (measured: setting the variable at the top of an .mjs entry has no
 * effect). So call `raiseThreadPoolSize(process.env)` from a CommonJS entry before it imports the
 * ES modules (apps/cli/bin/lenslet.cjs does the equivalent), or pass the variable to a child
 * process in its environment.
 */

/** Default pool size for `lenslet serve`: room for 2 thumbnail jobs, scans and the log. */
export const THREAD_POOL_SIZE = 16;
/** libuv's own ceiling. */
const MAX_THREAD_POOL_SIZE = 1024;

/**
 * Raise `env.UV_THREADPOOL_SIZE` to at least `minimum` (a larger value set by the user is kept).
 * Returns the size now in `env`.
 */
export function raiseThreadPoolSize(env: NodeJS.ProcessEnv, minimum = THREAD_POOL_SIZE): number {
  const current = Number.parseInt(env.UV_THREADPOOL_SIZE ?? '', 10);
  const size = Math.min(
    MAX_THREAD_POOL_SIZE,
    Math.max(Number.isFinite(current) ? current : 4, minimum),
  );
  env.UV_THREADPOOL_SIZE = String(size);
  return size;
}

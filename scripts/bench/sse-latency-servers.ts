/**
 * The servers sse-latency.ts compares, each started fresh for one measurement and stopped after:
 * - `lenslet`: the built CLI (`lenslet serve`, fsync durability, a fresh workspace) on the
 *   benchmark's image folder — this checkout's, or an older commit's for A/B (baseline-cli.ts);
 * - `bare`: bare-sse-server.ts, the limit — node:http fanning out the same frames, with a group-
 *   committed fdatasync append before each answer (`fsync`) or no store at all.
 *
 * `LENSLET_BENCH_PROFILE=<dir>`: every server started here runs with `node --cpu-prof` and writes
 * its CPU profile into `<dir>` when it stops (`node /tmp/topprof.mjs <file> 25` or DevTools), and
 * `trace-<pid>.json` beside it: event-loop delay, GC pauses by kind and fdatasync call → handled
 * completion times (server-trace.mjs). `LENSLET_BENCH_TRACE=<dir>` writes only the trace (no
 * profiler slowing the servers down, for latency runs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, ManagedServer, startScript, stopChild } from '@lenslet/test-kit';

export type Variant =
  | { readonly name: string; readonly kind: 'lenslet'; readonly bin?: string }
  | { readonly name: string; readonly kind: 'bare'; readonly fsync: boolean };

export type Running = { readonly url: string; readonly pid: number; stop(): Promise<void> };

const BARE = join(import.meta.dirname, 'bare-sse-server.ts');
const PROFILE_DIR = process.env.LENSLET_BENCH_PROFILE;
const TRACE_DIR = process.env.LENSLET_BENCH_TRACE ?? PROFILE_DIR;
const TRACE = pathToFileURL(join(import.meta.dirname, 'server-trace.mjs')).href;
/** Node flags: a CPU profile and/or the trace, written when the server exits (when asked for). */
const PROFILE_ARGS = [
  ...(PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`]),
  ...(TRACE_DIR === undefined ? [] : ['--import', TRACE]),
];

export async function startVariant(variant: Variant, gallery: string): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'lenslet-bench-sse-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  if (variant.kind === 'bare') {
    const args = variant.fsync ? ['--fsync', join(dir, 'log.jsonl')] : [];
    const { child, ready } = await startScript<{ port: number; pid: number }>(BARE, args, {
      node_args: PROFILE_ARGS,
    });
    return {
      url: `http://127.0.0.1:${ready.port}`,
      pid: ready.pid,
      stop: async () => {
        await stopChild(child);
        cleanup();
      },
    };
  }
  const server = new ManagedServer({
    args: [gallery, '--workspace', dir, '--watch', 'off'],
    port: await freePort(),
    node_args: PROFILE_ARGS,
    ...(variant.bin === undefined ? {} : { bin: variant.bin }),
  });
  await server.start();
  return {
    url: server.url,
    pid: server.pid!,
    stop: async () => {
      await server.stop('SIGTERM');
      cleanup();
    },
  };
}

/** Start `variant`, run `measure` against it, stop it (also when `measure` throws). */
export async function withVariant<T>(
  variant: Variant,
  gallery: string,
  measure: (server: Running) => Promise<T>,
): Promise<T> {
  const server = await startVariant(variant, gallery);
  try {
    return await measure(server);
  } finally {
    await server.stop();
  }
}

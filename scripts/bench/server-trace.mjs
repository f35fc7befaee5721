/**
 * Preloaded (`node --import`) into every server sse-latency.ts starts when
 * `LENSLET_BENCH_TRACE=<dir>` or `LENSLET_BENCH_PROFILE=<dir>` is set (sse-latency-servers.ts;
 * with the latter, beside the CPU profile): when the server exits it writes
 * `<dir>/trace-<pid>.json` with
 * - the event-loop delay (perf_hooks `monitorEventLoopDelay`, 1 ms resolution): p50/p99/max, ms;
 * - GC pauses by kind (a `gc` PerformanceObserver; kind 1 = scavenge, 4 = mark-compact):
 *   count, total and longest, ms, and each mark-compact's start (ms since the process began);
 * - fdatasync calls on FileHandles (the log's group commits, and the bare server's): from the
 *   call until its completion is handled, p50/p99/max, ms — a completion that waits behind a
 *   long turn (a fan-out) shows here.
 * Plain JavaScript, so the built `lenslet` bin can load it without a TypeScript loader. Bench
 * only; nothing of the product loads it.
 */
import { writeFileSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';

const dir = process.env.LENSLET_BENCH_TRACE ?? process.env.LENSLET_BENCH_PROFILE;
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const gcs = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcs.push({ at: entry.startTime, ms: entry.duration, kind: entry.detail?.kind ?? 0 });
  }
}).observe({ entryTypes: ['gc'] });

const syncs = [];
const probe = join(tmpdir(), `lenslet-trace-${process.pid}`);
const handle = await open(probe, 'w');
const FileHandle = Object.getPrototypeOf(handle);
await handle.close();
await unlink(probe);
const datasync = FileHandle.datasync;
FileHandle.datasync = async function traced() {
  const start = performance.now();
  try {
    return await datasync.call(this);
  } finally {
    syncs.push(performance.now() - start);
  }
};

const round = (ms) => Math.round(ms * 100) / 100;
function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: round(sorted.at(-1) ?? 0) };
}

process.on('exit', () => {
  if (!dir) return;
  const byKind = {};
  for (const { ms, kind } of gcs) {
    byKind[kind] ??= { count: 0, total_ms: 0, max_ms: 0 };
    const k = byKind[kind];
    k.count += 1;
    k.total_ms = round(k.total_ms + ms);
    k.max_ms = round(Math.max(k.max_ms, ms));
  }
  const trace = {
    argv: process.argv.slice(1, 3),
    uptime_ms: Math.round(performance.now()),
    event_loop_delay_ms: {
      p50: round(delay.percentile(50) / 1e6),
      p99: round(delay.percentile(99) / 1e6),
      max: round(delay.max / 1e6),
    },
    gc_by_kind: byKind,
    mark_compacts_at_ms: gcs.filter((g) => g.kind === 4).map((g) => Math.round(g.at)),
    fdatasync_ms: summary(syncs),
  };
  writeFileSync(join(dir, `trace-${process.pid}.json`), `${JSON.stringify(trace)}\n`);
});

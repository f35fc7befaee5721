/**
 * The headline figures of the benchmark report's summary: each found in a script's printed output
 * by a pattern, and shown beside its target or beside the limit the same run measured (bare
 * fdatasync loop, bare node:http server).
 */

export type Figure = {
  readonly bench: string;
  readonly what: string;
  readonly pattern: RegExp;
  readonly group?: number;
  readonly unit: string;
  /** A fixed target: `≤ 5 s`. */
  readonly target?: { readonly op: '≤' | '≥'; readonly value: number };
  /** A limit measured in the same run: the ratio figure / limit is shown. */
  readonly limit?: { readonly what: string; readonly pattern: RegExp; readonly group?: number };
};

const n = String.raw`([\d,]+(?:\.\d+)?)`;

export const FIGURES: readonly Figure[] = [
  {
    bench: 'store',
    what: 'durable applies/s, 1 caller',
    pattern: new RegExp(`fsync, 1 caller: ${n}/s`),
    unit: '/s',
    limit: {
      what: 'bare write + fdatasync per line',
      pattern: new RegExp(`bare limit: write \\+ fdatasync per line: ${n}/s`),
    },
  },
  {
    bench: 'store',
    what: 'durable applies/s, 256 callers',
    pattern: new RegExp(`fsync, 256 callers: ${n}/s`),
    unit: '/s',
    target: { op: '≥', value: 50_000 },
    limit: {
      what: 'group-commit ideal (256 lines per write + fdatasync)',
      pattern: new RegExp(`fsync, 256 callers: [\\d,]+/s; group-commit ideal ${n}/s`),
    },
  },
  {
    bench: 'store',
    what: 'open without a snapshot (all records), wall',
    pattern: new RegExp(`open without a snapshot \\([\\d,]+ records\\): ${n} s`),
    unit: 's',
    target: { op: '≤', value: 5 },
  },
  {
    bench: 'store',
    what: 'open with snapshot + tail, wall',
    pattern: new RegExp(`open with snapshot \\+ [\\d,]+-record tail: ${n} s`),
    unit: 's',
    target: { op: '≤', value: 0.5 },
  },
  {
    bench: 'store',
    what: 'snapshot load (all items), wall',
    pattern: new RegExp(`open = snapshot load \\([^)]*\\): ${n} s`),
    unit: 's',
    target: { op: '≤', value: 3 },
  },
  {
    bench: 'store',
    what: 'RSS holding every labeled image',
    pattern: new RegExp(`RSS holding [\\d,]+ labeled images \\(own process\\): ${n} MiB`),
    unit: 'MiB',
    target: { op: '≤', value: 572 },
  },
  {
    bench: 'store',
    what: 'history(path) p95',
    pattern: new RegExp(`history\\(path\\) p50 / p95: [\\d.]+ / ${n} ms`),
    unit: 'ms',
    target: { op: '≤', value: 20 },
  },
  {
    bench: 'gallery',
    what: 'index 100,000 files, warm, CPU',
    pattern: new RegExp(
      `\\| index, warm \\(dimension cache\\) \\| 100,000 \\| [\\d.]+ s \\| ${n} s`,
    ),
    unit: 's',
    target: { op: '≤', value: 3 },
  },
  {
    bench: 'server-browse',
    what: '/folders/query on 100,000 images, worst p50 end to end',
    pattern: new RegExp(`worst p50 ${n} ms end to end`),
    unit: 'ms',
    target: { op: '≤', value: 50 },
  },
  {
    bench: 'server-labels',
    what: 'durable PATCH/s, 64 clients (lenslet app)',
    pattern: new RegExp(`lenslet app\\s+64 clients\\s+${n}/s`),
    unit: '/s',
    target: { op: '≥', value: 4_000 },
    limit: {
      what: 'bare node:http, same store',
      pattern: new RegExp(`bare node:http\\s+64 clients\\s+${n}/s`),
    },
  },
  {
    bench: 'server-labels',
    what: 'PATCH-to-event p99, 200 live clients at 1,000 PATCH/s',
    pattern: new RegExp(`PATCH-to-event p50 [\\d.]+ ms\\s+p99 ${n} ms`),
    unit: 'ms',
    target: { op: '≤', value: 15 },
  },
  {
    bench: 'sse-latency',
    what: 'at rest (20 live clients): PATCH sent → event p50',
    pattern: new RegExp(`at rest, sent→event p50: ${n} ms`),
    unit: 'ms',
    target: { op: '≤', value: 3.1 },
  },
  {
    bench: 'sse-latency',
    what: 'at rest (20 live clients): PATCH sent → event p99',
    pattern: new RegExp(`at rest, sent→event p99: ${n} ms`),
    unit: 'ms',
    target: { op: '≤', value: 6.4 },
  },
  {
    bench: 'sse-latency',
    what: 'at rest (20 live clients): PATCH answered → event p50',
    pattern: new RegExp(`at rest, answered→event p50: ${n} ms`),
    unit: 'ms',
    target: { op: '≤', value: 0.5 },
  },
  {
    bench: 'sse-latency',
    what: 'PATCH sent → event p99, 200 live clients at 1,000 PATCH/s',
    pattern: new RegExp(`200 streams at 1,000 PATCH/s, sent→event p99: ${n} ms`),
    unit: 'ms',
    target: { op: '≤', value: 15 },
  },
  {
    bench: 'sse-latency',
    what: 'PATCH sent → event p99, 500 live clients and 100 writers',
    pattern: new RegExp(`500 streams and 100 writers, sent→event p99: ${n} ms`),
    unit: 'ms',
    target: { op: '≤', value: 100 },
  },
  {
    bench: 'web',
    what: 'gzipped JS + CSS',
    pattern: new RegExp(`gzipped JS \\+ CSS\\s+${n} B`),
    unit: 'B',
    target: { op: '≤', value: 60_000 },
  },
  {
    bench: 'web',
    what: 'first grid paint, 10,000 items',
    pattern: new RegExp(`first grid paint, 10,000 items \\(median\\)\\s+${n} ms`),
    unit: 'ms',
    target: { op: '≤', value: 1_000 },
  },
  {
    bench: 'table',
    what: 'load 1,000,000 rows × 30 metrics (snappy), wall',
    pattern: new RegExp(`1,000,000 rows × 30 metrics, snappy \\([\\d,]+ MiB\\): load ${n} s`),
    unit: 's',
    target: { op: '≤', value: 5 },
  },
  {
    bench: 'table',
    what: 'peak RSS after loading 1,000,000 rows',
    pattern: new RegExp(
      `1,000,000 rows × 30 metrics, snappy \\([\\d,]+ MiB\\): peak RSS after load ${n} MiB`,
    ),
    unit: 'MiB',
    target: { op: '≤', value: 1024 },
  },
  {
    bench: 'table',
    what: 'query p50, 1,000,000 rows (3 ranges + metric sort)',
    pattern: new RegExp(`1,000,000 rows: query p50 ${n} ms`),
    unit: 'ms',
    target: { op: '≤', value: 50 },
    limit: {
      what: 'plain scan of 3 columns',
      pattern: new RegExp(
        `1,000,000 rows: query p50 [\\d.]+ ms \\(target ≤ 50 ms\\); plain scan of 3 columns ${n} ms`,
      ),
    },
  },
  {
    bench: 'table',
    what: 'facets p50, 1,000,000 rows (30 histograms, brushed)',
    pattern: new RegExp(`1,000,000 rows: facets p50 ${n} ms`),
    unit: 'ms',
    target: { op: '≤', value: 150 },
    limit: {
      what: 'plain scan of 30 columns',
      pattern: new RegExp(
        `1,000,000 rows: facets p50 [\\d.]+ ms \\(target ≤ 150 ms\\); plain scan of 30 columns ${n} ms`,
      ),
    },
  },
  {
    bench: 'load-500',
    what: 'durable writes/s, 100 writers + 500 live clients',
    pattern: new RegExp(`durable writes per second \\(\\d+ writers, closed loop\\) \\| ${n}/s`),
    unit: '/s',
  },
  {
    bench: 'load-500',
    what: 'write latency p99, same load',
    pattern: new RegExp(`write latency p99 \\| ${n} ms`),
    unit: 'ms',
  },
  {
    bench: 'load-500',
    what: 'fan-out p99 to 500 clients, same load',
    pattern: new RegExp(`fan-out latency p99 \\| ${n} ms`),
    unit: 'ms',
  },
  {
    bench: 'load-500',
    what: 'server CPU, same load',
    pattern: new RegExp(`server CPU while loaded \\| ${n} cores`),
    unit: 'cores',
  },
];

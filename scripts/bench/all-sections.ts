/**
 * What `bench:all` runs and how it reads the results: one entry per benchmark script (its
 * section of docs/benchmarks.md), and the headline figures of the summary — each beside its
 * target, or beside the limit the same run measured (bare fdatasync loop, bare node:http server).
 * Figures are found in each script's printed output by a pattern; a figure a script no longer
 * prints shows as "not found" instead of failing the report.
 */
import { figures, median } from './median-text.ts';

export type Section = {
  /** `--only` name. */
  readonly name: string;
  readonly script: string;
  /** The `## ` heading of its section in docs/benchmarks.md. */
  readonly heading: string;
  /** First paragraph of a section that does not exist yet. */
  readonly intro: string;
};

export const SECTIONS: readonly Section[] = [
  {
    name: 'store',
    script: 'scripts/bench/store.ts',
    heading: 'Store',
    intro:
      '`npm run bench:store` (`scripts/bench/store.ts [--quick]`): durable applies/s beside a bare write + fdatasync loop on the same disk, recovery, snapshot load, RSS, replay, history and compaction of a million records.',
  },
  {
    name: 'gallery',
    script: 'scripts/bench/gallery.ts',
    heading: 'Gallery',
    intro: '`npx tsx scripts/bench/gallery.ts [--quick]`.',
  },
  {
    name: 'server-browse',
    script: 'scripts/bench/server-browse.ts',
    heading: 'Server: browse',
    intro: '`npx tsx scripts/bench/server-browse.ts [--quick]`.',
  },
  {
    name: 'server-labels',
    script: 'scripts/bench/server-labels.ts',
    heading: 'Server: labels',
    intro:
      '`npx tsx scripts/bench/server-labels.ts [--quick]`: durable PATCH/s of the express app beside a bare `node:http` server doing the same group-committed append, with history, during thumbnail rendering, and the fan-out to 200 live clients.',
  },
  {
    name: 'web',
    script: 'scripts/bench/web.ts',
    heading: 'Web',
    intro: '`npm run bench:web` (`scripts/bench/web.ts [--quick]`).',
  },
  {
    name: 'table',
    script: 'scripts/bench/table.ts',
    heading: 'Table',
    intro:
      '`npm run bench:table` (`scripts/bench/table.ts [--quick]`): load a DuckDB-written Parquet table of 100,000 and 1,000,000 rows × 30 metrics (wall, CPU, peak RSS), then the p50 of a query with 3 range filters and a metric sort and of all 30 histograms under a brushed filter, beside a plain typed-array scan of the same columns measured in the same process.',
  },
  {
    name: 'load-500',
    script: 'scripts/bench/load-500.ts',
    heading: 'Load: 500 live clients and 100 writers',
    intro:
      '`npx tsx scripts/bench/load-500.ts [--quick]`: the built server (`lenslet serve`, fsync) on 2,000 images, 500 `GET /events` streams opened first, then 100 writers sending `PATCH /item` in a closed loop (each sends the next write as soon as the last is answered), load generator in its own process. Fan-out latency is PATCH sent → event received, timed on every 5th stream; every stream counts its events, so the run also says whether all 500 received every record. Server CPU is user + system time over the measured window, in cores (this machine has 2).',
  },
];

export type BenchRun = { readonly ok: boolean; readonly out: string; readonly seconds: number };

type Figure = {
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

const FIGURES: readonly Figure[] = [
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

const fmt = (value: number, unit: string) => {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`.replace(
    ' /s',
    '/s',
  );
};

/** The summary table: one row per headline figure found in the runs. */
export function collectSummary(
  benches: readonly { name: string; runs: readonly BenchRun[] }[],
  quick: boolean,
): string {
  const rows = [
    '| benchmark | figure | median (range) | target / limit measured in the same run | verdict |',
    '|---|---|---:|---|---|',
  ];
  for (const figure of FIGURES) {
    const bench = benches.find((b) => b.name === figure.bench);
    if (!bench) continue;
    const outs = bench.runs.filter((r) => r.ok).map((r) => r.out);
    const values = figures(outs, figure.pattern, figure.group);
    if (values.length === 0) {
      rows.push(`| ${figure.bench} | ${figure.what} | not found in the output | | |`);
      continue;
    }
    const m = median(values);
    const range =
      values.length > 1
        ? ` (${fmt(Math.min(...values), figure.unit)} – ${fmt(Math.max(...values), figure.unit)})`
        : '';
    const notes: string[] = [];
    const verdicts: string[] = [];
    if (figure.target && quick) {
      notes.push(
        `target ${figure.target.op} ${fmt(figure.target.value, figure.unit)} (for the full run)`,
      );
    } else if (figure.target) {
      const met = figure.target.op === '≤' ? m <= figure.target.value : m >= figure.target.value;
      notes.push(`target ${figure.target.op} ${fmt(figure.target.value, figure.unit)}`);
      verdicts.push(met ? 'met' : '**not met**');
    }
    if (figure.limit) {
      // The ratio of each run to its own limit, then the median of those ratios.
      const ratios = outs
        .map((out) => {
          const value = figures([out], figure.pattern, figure.group)[0];
          const limit = figures([out], figure.limit!.pattern, figure.limit!.group)[0];
          return value !== undefined && limit !== undefined && limit > 0 ? value / limit : null;
        })
        .filter((r): r is number => r !== null);
      const limits = figures(outs, figure.limit.pattern, figure.limit.group);
      if (ratios.length > 0) {
        notes.push(`${figure.limit.what}: ${fmt(median(limits), figure.unit)}`);
        verdicts.push(`${(median(ratios) * 100).toFixed(0)} % of the limit`);
      }
    }
    rows.push(
      `| ${figure.bench} | ${figure.what} | ${fmt(m, figure.unit)}${range} | ${notes.join('; ')} | ${verdicts.join('; ')} |`,
    );
  }
  return rows.join('\n');
}

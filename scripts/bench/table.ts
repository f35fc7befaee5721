/**
 * Table benchmark: `npx tsx scripts/bench/table.ts [--quick]` (also in `npm run bench`).
 *
 * Generates (once, cached under /tmp/lenslet-bench-table, written by DuckDB, not by our reader's
 * library) Parquet files of 100,000 and 1,000,000 rows × 30 float64 metrics (3 % nulls, random
 * values: the worst case for compression), an image path and a 4-value category, SNAPPY (the
 * default of pyarrow, pandas and DuckDB) and, for 1,000,000 rows, ZSTD. Each size is measured
 * in a fresh child process so peak RSS means something:
 * - load: `readTable` + `createTableEngine`, wall and CPU time, peak RSS;
 * - query p50: 3 range filters + sort by a metric, first page of 100 (the first run, which
 *   builds the metric's cached sort order, is shown apart);
 * - facets p50: all 30 histograms under a brushed range filter (all filters but its own);
 * each beside its target and beside a plain typed-array scan of the same columns measured in the
 * same process (query: 3 range tests per row; facets: one bin increment per row and metric),
 * in wall time and in CPU time (user + system, steadier when other processes share the cores).
 * `--quick` runs only 100,000 rows.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTableEngine, type NumberColumn, readTable } from '@lenslet/table';

const ROOT = '/tmp/lenslet-bench-table';
const METRICS = 30;
const self = new URL(import.meta.url).pathname;

type Result = {
  rows: number;
  load_ms: number;
  cpu_ms: number;
  rss_mib: number;
  rss_load_mib: number;
  query_first_ms: number;
  query_p50_ms: number;
  query_scan_ms: number;
  query_cpu_ms: number;
  query_scan_cpu_ms: number;
  facets_p50_ms: number;
  facets_scan_ms: number;
  facets_cpu_ms: number;
  facets_scan_cpu_ms: number;
  filtered: number;
};

async function generate(rows: number, codec: 'snappy' | 'zstd'): Promise<string> {
  const file = join(ROOT, `rows-${rows}-${codec}.parquet`);
  if (existsSync(`${file}.complete`)) return file;
  await mkdir(ROOT, { recursive: true });
  await rm(file, { force: true });
  process.stdout.write(`generating ${rows.toLocaleString('en')} rows (${codec}) … `);
  const started = performance.now();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const metrics = Array.from(
    { length: METRICS },
    (_, k) => `CASE WHEN random() < 0.03 THEN NULL ELSE random() * ${k + 1} END AS m${k}`,
  ).join(', ');
  await c.run(
    `COPY (SELECT 'images/set_' || (i % 100) || '/img_' || lpad(i::VARCHAR, 7, '0') || '.jpg' AS image_path, ${metrics}, (['photo','render','anime','sketch'])[1 + (i % 4)] AS style FROM range(${rows}) t(i)) TO '${file}' (FORMAT parquet, COMPRESSION ${codec})`,
  );
  c.closeSync();
  await (await import('node:fs/promises')).writeFile(`${file}.complete`, '');
  console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function time(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/** CPU time (user + system) of `f` in ms: steadier than wall time on a shared machine. */
function cpuTime(f: () => void): number {
  const u0 = process.cpuUsage();
  f();
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1000;
}

/** Plain scan: count rows inside 3 ranges, one pass per column. */
function scanRanges(cols: Float64Array[], n: number): number {
  let hits = 0;
  for (const values of cols) {
    for (let r = 0; r < n; r++) {
      const v = values[r]!;
      if (v >= 0.2 && v <= 0.8) hits++;
    }
  }
  return hits;
}

/** Plain scan: one 40-bin histogram per column, every row. */
function scanHistograms(cols: Float64Array[], n: number): number {
  const bins = new Uint32Array(40);
  for (const values of cols) {
    for (let r = 0; r < n; r++) {
      const v = values[r]!;
      if (!Number.isNaN(v)) bins[Math.min(39, Math.floor(v * 13.3))]!++;
    }
  }
  return bins[0]!;
}

async function child(file: string): Promise<Result> {
  const base = process.resourceUsage();
  const t0 = performance.now();
  const table = await readTable(file);
  const engine = createTableEngine(table);
  const load = performance.now() - t0;
  const u = process.resourceUsage();
  const cpu = (u.userCPUTime + u.systemCPUTime - base.userCPUTime - base.systemCPUTime) / 1000;
  const rssLoad = Math.round(process.resourceUsage().maxRSS / 1024);
  const n = table.row_count;
  const col = (k: number) => (table.columns.get(`m${k}`) as NumberColumn).values;
  const query = (i: number) =>
    engine.query({
      filters: [
        { kind: 'range', field: 'm0', min: 0.1 + i * 0.001, max: 0.9 },
        { kind: 'range', field: 'm1', min: 0.2, max: 1.8 - i * 0.001 },
        { kind: 'range', field: 'm2', min: 0.3, max: 2.7 },
      ],
      sort: { key: 'm3', dir: 'desc' },
      limit: 100,
    });
  let filtered = 0;
  const queryFirst = time(() => {
    filtered = query(0).filtered_total;
  });
  const queryTimes: number[] = [];
  for (let i = 1; i <= 25; i++) queryTimes.push(time(() => query(i)));
  const metrics = Array.from({ length: METRICS }, (_, k) => `m${k}`);
  const facets = (i: number) =>
    engine.facets(
      { filters: [{ kind: 'range', field: 'm5', min: 1 + i * 0.01, max: 4 }] },
      { metrics, categoricals: [] },
    );
  facets(0);
  const facetTimes: number[] = [];
  for (let i = 1; i <= 11; i++) facetTimes.push(time(() => facets(i)));
  const three = [col(0), col(1), col(2)];
  const all = metrics.map((_, k) => col(k));
  const queryScan = median(Array.from({ length: 11 }, () => time(() => scanRanges(three, n))));
  const facetScan = median(Array.from({ length: 5 }, () => time(() => scanHistograms(all, n))));
  const queryCpu = median(Array.from({ length: 11 }, (_, i) => cpuTime(() => query(30 + i))));
  const facetCpu = median(Array.from({ length: 7 }, (_, i) => cpuTime(() => facets(20 + i))));
  const queryScanCpu = median(
    Array.from({ length: 11 }, () => cpuTime(() => scanRanges(three, n))),
  );
  const facetScanCpu = median(
    Array.from({ length: 5 }, () => cpuTime(() => scanHistograms(all, n))),
  );
  return {
    rows: n,
    load_ms: load,
    cpu_ms: cpu,
    rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    rss_load_mib: rssLoad,
    query_first_ms: queryFirst,
    query_p50_ms: median(queryTimes),
    query_scan_ms: queryScan,
    query_cpu_ms: queryCpu,
    query_scan_cpu_ms: queryScanCpu,
    facets_p50_ms: median(facetTimes),
    facets_scan_ms: facetScan,
    facets_cpu_ms: facetCpu,
    facets_scan_cpu_ms: facetScanCpu,
    filtered,
  };
}

function run(file: string): Result {
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Result;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(await child(args[1]!)));
    return;
  }
  const quick = args.includes('--quick');
  const cases: { rows: number; codec: 'snappy' | 'zstd'; query: number; facets: number }[] = [
    { rows: 100_000, codec: 'snappy', query: 15, facets: 15 },
  ];
  if (!quick) {
    cases.push({ rows: 1_000_000, codec: 'snappy', query: 50, facets: 150 });
    cases.push({ rows: 1_000_000, codec: 'zstd', query: 50, facets: 150 });
  }
  const files = [];
  for (const c of cases) files.push(await generate(c.rows, c.codec));
  console.log(
    `\nTable benchmark — ${cpus().length} cores, Node ${process.version}${quick ? ' (quick)' : ''}, load average ${loadavg()[0]!.toFixed(1)}\n`,
  );
  for (const [i, c] of cases.entries()) {
    const file = files[i]!;
    const mib = (await stat(file)).size / 2 ** 20;
    const r = run(file);
    const rows = r.rows.toLocaleString('en');
    const what = `${rows} rows × ${METRICS} metrics, ${c.codec} (${mib.toFixed(0)} MiB)`;
    console.log(`${what}`);
    console.log(
      `  ${what}: load ${(r.load_ms / 1000).toFixed(2)} s (target ≤ 5 s), CPU ${(r.cpu_ms / 1000).toFixed(2)} s`,
    );
    console.log(
      `  ${what}: peak RSS after load ${r.rss_load_mib} MiB (target ≤ 1024 MiB); peak over the whole run ${r.rss_mib} MiB`,
    );
    if (c.codec === 'zstd') continue;
    console.log(
      `  ${rows} rows: query p50 ${ms(r.query_p50_ms)} (target ≤ ${c.query} ms); plain scan of 3 columns ${ms(r.query_scan_ms)}, ratio ${(r.query_p50_ms / r.query_scan_ms).toFixed(1)}; CPU p50 ${ms(r.query_cpu_ms)} vs scan ${ms(r.query_scan_cpu_ms)}, ratio ${(r.query_cpu_ms / r.query_scan_cpu_ms).toFixed(2)}; first query ${ms(r.query_first_ms)} (builds the sort order); ${r.filtered.toLocaleString('en')} rows pass`,
    );
    console.log(
      `  ${rows} rows: facets p50 ${ms(r.facets_p50_ms)} (target ≤ ${c.facets} ms); plain scan of 30 columns ${ms(r.facets_scan_ms)}, ratio ${(r.facets_p50_ms / r.facets_scan_ms).toFixed(1)}; CPU p50 ${ms(r.facets_cpu_ms)} vs scan ${ms(r.facets_scan_cpu_ms)}, ratio ${(r.facets_cpu_ms / r.facets_scan_cpu_ms).toFixed(2)}`,
    );
  }
  console.log(
    `\nload average after the run: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

await main();

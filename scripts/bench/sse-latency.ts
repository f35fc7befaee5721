/**
 * Live-update latency: how soon a label change reaches every open gallery, at rest and under
 * load (issue 12 §1).
 *
 *   npx tsx scripts/bench/sse-latency.ts [--quick] [--only 1,2,3] [--baseline <rev>] [--rounds N]
 *
 * Every server is the built `lenslet serve` (fsync durability, a fresh workspace, 2,000 images)
 * on a real port; clients run in other processes. Three cases:
 * 1. at rest — 20 streams (fetch + eventsource-parser) and one writer sending PATCHes to distinct
 *    images one at a time, the next after all 20 saw the event (sse-latency-clients.ts):
 *    "PATCH answered → event at each client" and "PATCH sent → event at each client", p50/p99,
 *    beside the original Lenslet's figures recorded in the issue (not run here: no PyPI);
 * 2. 200 streams while 1,000 PATCH/s arrive on a schedule (loadgen-sse.ts): PATCH sent → event;
 * 3. 500 streams and 100 writers in a closed loop (load-500-run.ts): PATCH sent → event.
 * Each case also runs the limit in the same run: bare-sse-server.ts fanning out the same frames
 * (with a group-committed fdatasync append, and without any store), and prints the ratio; and
 * server CPU per delivered event (one event on one stream). `--baseline <rev>` adds the CLI as
 * commit <rev> built it, and `--rounds` (default 3 with a baseline, else 1) repeats every case,
 * alternating the order of the servers each round so a busy machine's noise falls on both;
 * figures are medians over the rounds, with each round's value listed.
 * `LENSLET_BENCH_PROFILE=<dir>` makes every server write a CPU profile there when it stops
 * (sse-latency-servers.ts).
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cliFlags, cpuSeconds, ensureBuilt, median, runScript } from '@lenslet/test-kit';
import { baselineCli } from './baseline-cli.ts';
import { loadGallery, runLoad } from './load-500-run.ts';
import type { ClientsResult } from './sse-latency-clients.ts';
import { type Running, type Variant, withVariant } from './sse-latency-servers.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    baseline: { type: 'string' },
    rounds: { type: 'string' },
  },
});
const quick = values.quick;
const only = values.only?.split(',') ?? null;
const runs = (n: string) => only === null || only.includes(n);
const IMAGES = 2_000;
const TEMPLATE = '/img-{00000}.jpg';
const HERE = import.meta.dirname;

await ensureBuilt();
const gallery = loadGallery(IMAGES);
const LENSLET: Variant = { name: 'lenslet (this checkout)', kind: 'lenslet' };
const BARE_FSYNC: Variant = { name: 'bare node:http + fdatasync', kind: 'bare', fsync: true };
const BARE: Variant = { name: 'bare node:http, no store', kind: 'bare', fsync: false };
const cli: Variant[] = [LENSLET];
if (values.baseline) {
  const { bin, commit } = await baselineCli(values.baseline);
  cli.push({ name: `lenslet ${commit.slice(0, 7)} (baseline)`, kind: 'lenslet', bin });
}
const ROUNDS = Number(values.rounds ?? (values.baseline && !quick ? 3 : 1));

type Figures = Record<string, number>;
type Column = { readonly key: string; readonly label: string; readonly goal?: string };

/** Run `measure` on every variant, `ROUNDS` times, alternating their order; medians + rounds. */
async function compare(
  variants: readonly Variant[],
  measure: (server: Running) => Promise<Figures>,
): Promise<Map<Variant, Figures[]>> {
  const results = new Map<Variant, Figures[]>(variants.map((v) => [v, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      results.get(variant)!.push(await withVariant(variant, gallery, measure));
    }
  }
  return results;
}

const fmt = (n: number) =>
  Number.isNaN(n) ? '—' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);

/**
 * What the hub itself measured: durable record reaching the hub → written to a stream, p50/p99
 * (Lenslet only; NaN for the bare server), and events per stream write (both; `writes_total` is
 * newer than some baselines: NaN there).
 */
async function hubFigures(url: string, streams: number): Promise<Figures> {
  const res = await fetch(`${url}/presence/diagnostics`);
  if (res.status !== 200) return { lag_p50: Number.NaN, lag_p99: Number.NaN, batch: Number.NaN };
  const { sse } = (await res.json()) as {
    sse: {
      delivery_lag_ms?: { p50: number; p99: number };
      frames_total: number;
      writes_total?: number;
    };
  };
  const batch = sse.writes_total ? (sse.frames_total * streams) / sse.writes_total : Number.NaN;
  const lag = sse.delivery_lag_ms ?? { p50: Number.NaN, p99: Number.NaN };
  return { lag_p50: lag.p50, lag_p99: lag.p99, batch };
}
/** The load generator shares the machine: its own CPU over the run, in cores. */
const GENERATOR_COLUMN: Column = { key: 'gen_cpu', label: 'load generator CPU, cores' };
const HUB_COLUMNS: readonly Column[] = [
  { key: 'lag_p50', label: 'in the hub: record → stream write p50' },
  { key: 'lag_p99', label: 'p99' },
  { key: 'batch', label: 'events per stream write' },
];

function table(results: Map<Variant, Figures[]>, columns: readonly Column[]): Figures {
  console.log(`| server | ${columns.map((c) => c.label).join(' | ')} |`);
  console.log(`|---|${columns.map(() => '---:').join('|')}|`);
  const medians: Figures = {};
  for (const [variant, rounds] of results) {
    const cells = columns.map((c) => {
      const m = median(rounds.map((r) => r[c.key]!));
      if (variant === LENSLET) medians[c.key] = m;
      const each = rounds.length > 1 ? ` (${rounds.map((r) => fmt(r[c.key]!)).join(', ')})` : '';
      return `${fmt(m)}${each}`;
    });
    console.log(`| ${variant.name} | ${cells.join(' | ')} |`);
  }
  if (columns.some((c) => c.goal)) {
    console.log(`| goal | ${columns.map((c) => c.goal ?? '').join(' | ')} |`);
  }
  return medians;
}

function ratios(results: Map<Variant, Figures[]>, keys: readonly string[]): void {
  const m = (v: Variant, k: string) => median(results.get(v)!.map((r) => r[k]!));
  for (const limit of [BARE_FSYNC, BARE]) {
    if (!results.has(limit)) continue;
    const parts = keys.map((k) => `${k} ${(m(LENSLET, k) / m(limit, k)).toFixed(2)}`);
    console.log(`  ratio lenslet / ${limit.name}: ${parts.join(', ')}`);
  }
}

function verdict(what: string, value: number, goal: number, note = ''): void {
  const met = value <= goal ? 'met' : 'NOT met';
  console.log(`  ${what}: ${fmt(value)} ms, goal ≤ ${goal} ms${note} — ${met}`);
}

console.log(
  `live-update latency${quick ? ' (quick)' : ''}: ${cpus().length} cores, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}; ${ROUNDS} round(s); fsync durability`,
);

if (runs('1')) {
  const patches = quick ? 300 : 1_000;
  const warmup = quick ? 50 : 100;
  console.log(
    `\n1. At rest: 20 streams, one writer, ${patches} PATCHes to distinct images one at a time (the next after all 20 saw the event); ms`,
  );
  const results = await compare([...cli, BARE_FSYNC, BARE], async (server) => {
    const cpu0 = await cpuSeconds(server.pid);
    const r = await runScript<ClientsResult>(
      join(HERE, 'sse-latency-clients.ts'),
      cliFlags({ url: server.url, clients: 20, patches, warmup, 'path-template': TEMPLATE }),
    );
    const cpu = (await cpuSeconds(server.pid)) - cpu0;
    if (r.missing > 0) console.log(`  (${r.missing} deliveries missing)`);
    return {
      answered_p50: r.answered_to_event.p50,
      answered_p99: r.answered_to_event.p99,
      sent_p50: r.sent_to_event.p50,
      sent_p99: r.sent_to_event.p99,
      write_p50: r.sent_to_answered.p50,
      cpu_us: (cpu * 1e6) / ((patches + warmup) * 20),
      ...(await hubFigures(server.url, 20)),
    };
  });
  const lenslet = table(results, [
    { key: 'answered_p50', label: 'answered→event p50', goal: '≤ 0.5–0.6' },
    { key: 'answered_p99', label: 'answered→event p99', goal: '≤ 2.8–4.8' },
    { key: 'sent_p50', label: 'sent→event p50', goal: '≤ 3.1–3.6' },
    { key: 'sent_p99', label: 'sent→event p99', goal: '≤ 6.4–8.5' },
    { key: 'write_p50', label: 'sent→answered p50' },
    { key: 'cpu_us', label: 'server CPU µs per delivered event' },
    ...HUB_COLUMNS,
  ]);
  console.log(
    '  goal: the original Lenslet v0.4 in the same method, as recorded in issue 12 (it answers before its write reaches the disk); not run here (no PyPI), so a recorded reference',
  );
  ratios(results, ['sent_p50', 'sent_p99']);
  const original = (range: string) => ` (the original: ${range})`;
  verdict('at rest, answered→event p50', lenslet.answered_p50!, 0.5, original('0.5–0.6'));
  verdict('at rest, answered→event p99', lenslet.answered_p99!, 2.8, original('2.8–4.8'));
  verdict('at rest, sent→event p50', lenslet.sent_p50!, 3.1, original('3.1–3.6'));
  verdict('at rest, sent→event p99', lenslet.sent_p99!, 6.4, original('6.4–8.5'));
}

if (runs('2')) {
  const duration = quick ? 3_000 : 6_000;
  const warmup = quick ? 1_500 : 3_000;
  console.log(`\n2. 200 streams, 1,000 PATCH/s on a schedule (${duration / 1000} s measured); ms`);
  const results = await compare([...cli, BARE_FSYNC, BARE], async (server) => {
    const cpu0 = await cpuSeconds(server.pid);
    const r = await runScript(
      join(HERE, 'loadgen-sse.ts'),
      cliFlags({
        url: server.url,
        streams: 200,
        rate: 1000,
        writers: 64,
        'duration-ms': duration,
        'warmup-ms': warmup,
        images: IMAGES,
        'path-template': TEMPLATE,
      }),
    );
    const cpu = (await cpuSeconds(server.pid)) - cpu0;
    return {
      per_s: r.patch_per_s!,
      p50: r.p50_ms!,
      p99: r.p99_ms!,
      cpu_us: (cpu * 1e6) / (r.acked_total! * 200),
      gen_cpu: r.generator_cpu_cores!,
      ...(await hubFigures(server.url, 200)),
    };
  });
  const lenslet = table(results, [
    { key: 'per_s', label: 'PATCH/s' },
    { key: 'p50', label: 'sent→event p50' },
    { key: 'p99', label: 'sent→event p99', goal: '≤ 15' },
    { key: 'cpu_us', label: 'server CPU µs per delivered event' },
    GENERATOR_COLUMN,
    ...HUB_COLUMNS,
  ]);
  ratios(results, ['p50', 'p99']);
  verdict('200 streams at 1,000 PATCH/s, sent→event p99', lenslet.p99!, 15);
}

if (runs('3')) {
  const duration = quick ? 5_000 : 10_000;
  const warmup = quick ? 2_000 : 3_000;
  console.log(
    `\n3. 500 streams, 100 writers in a closed loop (${duration / 1000} s measured); PATCH sent → event, ms`,
  );
  const results = await compare([...cli, BARE_FSYNC], async (server) => {
    const r = await runLoad({
      url: server.url,
      pid: server.pid,
      clients: 500,
      writers: 100,
      duration_ms: duration,
      warmup_ms: warmup,
      images: IMAGES,
      measure_every: 5,
    });
    if (r.streams_complete < 500) {
      console.log(
        `  (${500 - r.streams_complete} streams incomplete: fewest events ${r.fewest_events} of ${r.acked_total}, ${r.disconnects} disconnects)`,
      );
    }
    return {
      per_s: r.writes_per_s,
      write_p99: r.write_p99_ms,
      p50: r.fanout_p50_ms,
      p99: r.fanout_p99_ms,
      cpu_us: (r.server_cpu_cores * 1e6) / (r.writes_per_s * 500),
      gen_cpu: r.generator_cpu_cores,
      ...(await hubFigures(server.url, 500)),
    };
  });
  const lenslet = table(results, [
    { key: 'per_s', label: 'durable writes/s' },
    { key: 'write_p99', label: 'write p99' },
    { key: 'p50', label: 'sent→event p50' },
    { key: 'p99', label: 'sent→event p99', goal: '≤ 100' },
    { key: 'cpu_us', label: 'server CPU µs per delivered event' },
    GENERATOR_COLUMN,
    ...HUB_COLUMNS,
  ]);
  ratios(results, ['p50', 'p99']);
  verdict('500 streams and 100 writers, sent→event p99', lenslet.p99!, 100);
}
console.log(`\n(load average at the end ${loadavg()[0]!.toFixed(1)})`);

/**
 * Load test: 500 live clients and 100 writers against the real server (`lenslet serve`, fsync).
 *
 *   npx tsx scripts/bench/load-500.ts [--quick] [--clients 500] [--writers 100]
 *        [--duration-ms 20000] [--warmup-ms 5000]
 *
 * The server is the built CLI on a folder of 2,000 tiny JPEGs with a fresh workspace each run.
 * The load generator runs in its own process (load-500-generator.ts): it opens every
 * `GET /events` stream first, then 100 writers send `PATCH /item` (a metric, so every write is a
 * record) in a closed loop — each sends the next as soon as the last is answered. Measured after
 * the warm-up:
 * - throughput: acknowledged (fsynced) writes per second, and write latency p50 / p99;
 * - fan-out: PATCH sent → its event received, on every 5th stream (the send time travels in the
 *   Idempotency-Key, which comes back as `mutation_id`); every stream's events are counted, so
 *   the run also says whether all 500 received every record;
 * - the server process: CPU (user + system, in cores) over the measured window, RSS and peak RSS.
 * Prints a markdown table; `--json` adds one JSON line for scripts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuilt, freePort, ManagedServer } from '@lenslet/test-kit';
import { loadGallery, runLoad } from './load-500-run.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    clients: { type: 'string', default: '500' },
    writers: { type: 'string', default: '100' },
    'duration-ms': { type: 'string' },
    'warmup-ms': { type: 'string' },
    images: { type: 'string', default: '2000' },
  },
});

const CLIENTS = Number(values.clients);
const WRITERS = Number(values.writers);
const IMAGES = Number(values.images);
const DURATION_MS = Number(values['duration-ms'] ?? (values.quick ? 8_000 : 20_000));
const WARMUP_MS = Number(values['warmup-ms'] ?? (values.quick ? 2_000 : 5_000));
/** Every MEASURE_EVERY-th stream is timed; the others only count their events. */
const MEASURE_EVERY = 5;

async function main(): Promise<void> {
  await ensureBuilt();
  const gallery = loadGallery(IMAGES);
  const workspace = mkdtempSync(join(tmpdir(), 'lenslet-bench-load-ws-'));
  const server = new ManagedServer({
    args: [gallery, '--workspace', workspace, '--watch', 'off'],
    port: await freePort(),
  });
  try {
    await server.start();
    const r = await runLoad({
      url: server.url,
      pid: server.pid!,
      clients: CLIENTS,
      writers: WRITERS,
      duration_ms: DURATION_MS,
      warmup_ms: WARMUP_MS,
      images: IMAGES,
      measure_every: MEASURE_EVERY,
    });
    const cpuCores = r.server_cpu_cores;
    const f = (n: number, d = 1) =>
      n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    console.log(
      `\nLoad test: ${CLIENTS} live clients, ${WRITERS} writers — ${cpus().length} cores, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}${values.quick ? ' (quick)' : ''}`,
    );
    console.log(
      `${DURATION_MS / 1000} s measured after ${WARMUP_MS / 1000} s of warm-up; ${IMAGES.toLocaleString('en-US')} images; fsync durability\n`,
    );
    console.log('| measure | result |\n|---|---:|');
    console.log(
      `| durable writes per second (${WRITERS} writers, closed loop) | ${f(r.writes_per_s, 0)}/s |`,
    );
    console.log(`| write latency p50 | ${f(r.write_p50_ms)} ms |`);
    console.log(`| write latency p99 | ${f(r.write_p99_ms)} ms |`);
    console.log(`| fan-out latency p50 (PATCH sent → event received) | ${f(r.fanout_p50_ms)} ms |`);
    console.log(`| fan-out latency p99 | ${f(r.fanout_p99_ms)} ms |`);
    console.log(`| fan-out latency max | ${f(r.fanout_max_ms)} ms |`);
    console.log(`| streams that received every record | ${r.streams_complete} of ${CLIENTS} |`);
    console.log(`| server CPU while loaded | ${f(cpuCores, 2)} cores |`);
    console.log(
      `| server CPU per acknowledged write (fan-out included) | ${f((cpuCores * 1000) / r.writes_per_s, 2)} ms |`,
    );
    console.log(`| load generator CPU (same machine) | ${f(r.generator_cpu_cores, 2)} cores |`);
    console.log(
      `| server RSS: idle → ${CLIENTS} streams → peak under load | ${f(r.rss_idle_mib, 0)} → ${f(r.rss_connected_mib, 0)} → ${f(r.rss_peak_mib, 0)} MiB |`,
    );
    console.log(
      `\n(${r.acked_total.toLocaleString('en-US')} writes acknowledged in all, ${r.write_errors} failed; ${r.deliveries_timed.toLocaleString('en-US')} deliveries timed on ${Math.ceil(CLIENTS / MEASURE_EVERY)} streams; ${r.disconnects} stream disconnects; the fewest events on one stream: ${r.fewest_events.toLocaleString('en-US')})`,
    );
    if (values.json) {
      console.log(JSON.stringify(r));
    }
    if (r.write_errors > 0 || r.streams_complete < CLIENTS) process.exitCode = 1;
  } finally {
    await server.stop('SIGTERM');
    rmSync(workspace, { recursive: true, force: true });
  }
}

await main();

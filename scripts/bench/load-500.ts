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
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  cliFlags,
  cpuSeconds,
  ensureBuilt,
  FIXTURE_GALLERY,
  freePort,
  ManagedServer,
  memoryMib,
  sleep,
} from '@lenslet/test-kit';
import type { GeneratorResult } from './load-500-generator.ts';

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
const GALLERY = join(tmpdir(), 'lenslet-bench-load', `gallery-${IMAGES}`);
const GENERATOR = join(import.meta.dirname, 'load-500-generator.ts');

// ---------------------------------------------------------------- orchestrator

function makeGallery(): void {
  if (existsSync(join(GALLERY, '.complete'))) return;
  rmSync(GALLERY, { recursive: true, force: true });
  mkdirSync(GALLERY, { recursive: true });
  const jpeg = readFileSync(join(FIXTURE_GALLERY, 'landscape.jpg'));
  for (let i = 0; i < IMAGES; i++) {
    writeFileSync(join(GALLERY, `img-${String(i).padStart(5, '0')}.jpg`), jpeg);
  }
  writeFileSync(join(GALLERY, '.complete'), '');
}

async function procStat(pid: number): Promise<{ cpu_s: number; rss_mib: number; hwm_mib: number }> {
  return { cpu_s: await cpuSeconds(pid), ...(await memoryMib(pid)) };
}

async function main(): Promise<void> {
  await ensureBuilt();
  makeGallery();
  const workspace = mkdtempSync(join(tmpdir(), 'lenslet-bench-load-ws-'));
  const server = new ManagedServer({
    args: [GALLERY, '--workspace', workspace, '--watch', 'off'],
    port: await freePort(),
  });
  try {
    await server.start();
    const pid = server.pid!;
    const idle = await procStat(pid);
    const flags = cliFlags({
      url: server.url,
      clients: CLIENTS,
      writers: WRITERS,
      'duration-ms': DURATION_MS,
      'warmup-ms': WARMUP_MS,
      images: IMAGES,
      'measure-every': MEASURE_EVERY,
    });
    const child = spawn(process.execPath, ['--import', 'tsx', GENERATOR, ...flags], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
    const ready = await next();
    if (ready !== 'READY') throw new Error(`generator: ${ready}`);
    const connected = await procStat(pid);
    child.stdin!.write('go\n');
    await sleep(WARMUP_MS);
    const before = await procStat(pid);
    const t = performance.now();
    let peak = before.rss_mib;
    const sampler = setInterval(() => {
      procStat(pid)
        .then((s) => {
          peak = Math.max(peak, s.rss_mib);
        })
        .catch(() => {});
    }, 250);
    const resultLine = await next();
    clearInterval(sampler);
    const after = await procStat(pid);
    // The writers stop at the end of the window; CPU is taken over the window the generator
    // measured (plus the short drain, which only makes the figure slightly conservative).
    const cpuCores = (after.cpu_s - before.cpu_s) / ((performance.now() - t) / 1000);
    const r = JSON.parse(resultLine) as GeneratorResult;
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
      `| server RSS: idle → ${CLIENTS} streams → peak under load | ${f(idle.rss_mib, 0)} → ${f(connected.rss_mib, 0)} → ${f(Math.max(peak, after.hwm_mib), 0)} MiB |`,
    );
    console.log(
      `\n(${r.acked_total.toLocaleString('en-US')} writes acknowledged in all, ${r.write_errors} failed; ${r.deliveries_timed.toLocaleString('en-US')} deliveries timed on ${Math.ceil(CLIENTS / MEASURE_EVERY)} streams; ${r.disconnects} stream disconnects; the fewest events on one stream: ${r.fewest_events.toLocaleString('en-US')})`,
    );
    if (values.json) {
      console.log(
        JSON.stringify({
          ...r,
          server_cpu_cores: cpuCores,
          rss_idle_mib: idle.rss_mib,
          rss_connected_mib: connected.rss_mib,
          rss_peak_mib: Math.max(peak, after.hwm_mib),
        }),
      );
    }
    if (r.write_errors > 0 || r.streams_complete < CLIENTS) process.exitCode = 1;
  } finally {
    await server.stop('SIGTERM');
    rmSync(workspace, { recursive: true, force: true });
  }
}

await main();

/**
 * Server labels benchmark: `npx tsx scripts/bench/server-labels.ts [--quick]`.
 *
 * Every number comes from separate processes: the server under test (scripts/bench/label-server.ts
 * bundled by esbuild as the CLI is, the JSONL store on a fresh workspace under /tmp) and a load generator (loadgen.ts /
 * loadgen-sse.ts), so the generator never shares the server's event loop. Measures:
 * 1. durable PATCH/s and p50/p99 with 1 and 64 keep-alive clients, the app (as `lenslet serve`
 *    runs it: the `PATCH /item` fast lane ahead of express) beside a bare `node:http` server doing
 *    the same group-committed append through the same store (ratio); at 64 clients also the app
 *    with every request through express (no fast lane), to show what the lane saves;
 * 2. the same with 100,000 records already in the log (must not degrade as history grows);
 * 3. the same while 1,000 cold thumbnails render (real gallery + sharp, hard-linked 2000×1500 JPEGs);
 * 4. PATCH-to-event latency at 200 SSE clients while sustaining 1,000 PATCH/s, with server CPU.
 * Targets: ≥ 4,000 durable PATCH/s at 64 clients; fan-out p99 ≤ 15 ms.
 * `--quick`: shorter runs and a 20,000-record history.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { link, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BIN,
  binNodeFlags,
  bundleForBench,
  cliFlags,
  cpuSeconds,
  runScript,
  startScript,
  stopChild,
} from '@lenslet/test-kit';
import { ensureNoisePhotos } from '@lenslet/test-kit/fixtures';

const quick = process.argv.includes('--quick');
/** `--only 1,4`: run only those sections. */
const onlyArg = process.argv[process.argv.indexOf('--only') + 1];
const only = process.argv.includes('--only') && onlyArg ? new Set(onlyArg.split(',')) : null;
const section = (n: string) => only === null || only.has(n);
/** `--memory`: run against the memory store (checks the harness; the numbers are not durable). */
const STORE = process.argv.includes('--memory') ? 'memory' : 'jsonl';
const HERE = import.meta.dirname;
const DURATION_MS = quick ? 2_000 : 6_000;
/** Load before measuring, so V8 has optimized the request path (as on a server that has been up a while). */
const WARMUP_MS = quick ? 1_500 : 4_000;
const HISTORY = quick ? 20_000 : 100_000;
const IMAGES = 100_000;
const THUMBS = 1_000;
const PHOTO_DIR = '/tmp/lenslet-bench-labels-photos';
/** Distinct source photos behind the THUMBS hard links. */
const PHOTO_SOURCES = 8;

type Started = { child: ChildProcess; port: number; pid: number; dir: string };

/** The server under test runs as production does: bundled as the CLI is, on plain node. */
const SERVER = await bundleForBench(join(HERE, 'label-server.ts'), 'label-server');

async function startServer(args: string[]): Promise<Started> {
  const dir = await mkdtemp(join(tmpdir(), 'lenslet-bench-labels-'));
  const { child, ready } = await startScript<{ port: number; pid: number }>(
    SERVER,
    ['--dir', dir, '--store', STORE, ...args],
    // As `lenslet serve` does at start-up: room in libuv's pool for thumbnails and fsyncs, and
    // node started with the bin's flags.
    {
      env: { ...process.env, UV_THREADPOOL_SIZE: '16' },
      tsx: false,
      node_args: binNodeFlags(BIN),
    },
  );
  return { child, port: ready.port, pid: ready.pid, dir };
}

async function stopServer(server: Started): Promise<void> {
  await stopChild(server.child);
  await rm(server.dir, { recursive: true, force: true });
}

/** Run a generator script in its own process; its last stdout line is JSON. */
const runGenerator = (script: string, args: string[]) => runScript(join(HERE, script), args);

type Row = {
  scenario: string;
  clients: number;
  per_s: number;
  p50_ms: number;
  p99_ms: number;
  cpu: number;
};
const rows: Row[] = [];

async function patchRun(
  server: Started,
  scenario: string,
  clients: number,
  during?: () => Promise<unknown>,
  target: { images: number; template: string } = { images: IMAGES, template: '/img{0}.jpg' },
): Promise<Row> {
  const cpu0 = await cpuSeconds(server.pid);
  const t0 = performance.now();
  const [result] = await Promise.all([
    runGenerator(
      'loadgen.ts',
      cliFlags({
        url: `http://127.0.0.1:${server.port}`,
        clients,
        'duration-ms': DURATION_MS,
        'warmup-ms': WARMUP_MS,
        images: target.images,
        'path-template': target.template,
      }),
    ),
    during?.(),
  ]);
  const cpu = (await cpuSeconds(server.pid)) - cpu0;
  const wall = (performance.now() - t0) / 1000;
  if (result!.errors! > 0) console.error(`  ${scenario}: ${result!.errors} requests failed`);
  const row = {
    scenario,
    clients,
    per_s: result!.per_s!,
    p50_ms: result!.p50_ms!,
    p99_ms: result!.p99_ms!,
    cpu: cpu / wall,
  };
  rows.push(row);
  console.log(
    `  ${scenario.padEnd(34)} ${String(clients).padStart(3)} clients  ${row.per_s.toFixed(0).padStart(6)}/s  p50 ${row.p50_ms.toFixed(2)} ms  p99 ${row.p99_ms.toFixed(2)} ms  server CPU ${(row.cpu * 100).toFixed(0)}% (${((row.cpu / row.per_s) * 1e6).toFixed(0)} µs/request)`,
  );
  return row;
}

/** 1,000 distinct image files (hard links of a few 2000×1500 JPEGs): each renders cold. */
async function photoFolder(): Promise<string> {
  const dir = join(PHOTO_DIR, 'gallery');
  if (existsSync(join(PHOTO_DIR, '.complete'))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const sources = await ensureNoisePhotos(join(PHOTO_DIR, 'sources'), PHOTO_SOURCES);
  for (let i = 0; i < THUMBS; i++) {
    await link(sources[i % sources.length]!, join(dir, `photo-${String(i).padStart(4, '0')}.jpg`));
  }
  await writeFile(join(PHOTO_DIR, '.complete'), '');
  return dir;
}

/** GET /thumb for every photo, 8 at a time; resolves with thumbnails/s. */
async function renderThumbnails(port: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  let next = 0;
  let ok = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < THUMBS) {
        const i = next++;
        const path = `/photo-${String(i).padStart(4, '0')}.jpg`;
        const status = await new Promise<number>((resolve) => {
          request(
            { host: '127.0.0.1', port, path: `/thumb?path=${encodeURIComponent(path)}`, agent },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          )
            .on('error', () => resolve(0))
            .end();
        });
        if (status === 200) ok++;
      }
    }),
  );
  agent.destroy();
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `  (rendered ${ok}/${THUMBS} thumbnails in ${seconds.toFixed(1)} s: ${(ok / seconds).toFixed(0)}/s)`,
  );
  return ok / seconds;
}

console.log(
  `server labels benchmark${quick ? ' (quick)' : ''}: ${DURATION_MS / 1000} s per run, JSONL store, fsync`,
);

if (section('1')) {
  console.log(
    '\n1. durable PATCH/s, lenslet app vs bare node:http (same store, same group commit)',
  );
  const ratios: string[] = [];
  for (const clients of [1, 64]) {
    const bare = await startServer(cliFlags({ mode: 'bare', images: IMAGES }));
    const bareRow = await patchRun(bare, 'bare node:http', clients);
    await stopServer(bare);
    const app = await startServer(cliFlags({ mode: 'app', images: IMAGES }));
    const appRow = await patchRun(app, 'lenslet app', clients);
    await stopServer(app);
    ratios.push(`${clients} clients: app/bare = ${(appRow.per_s / bareRow.per_s).toFixed(2)}`);
    if (clients === 64) {
      // What the PATCH /item fast lane saves: the same app with every request through express.
      const express = await startServer(cliFlags({ mode: 'express', images: IMAGES }));
      const expressRow = await patchRun(express, 'app without fast lane (express)', clients);
      await stopServer(express);
      ratios.push(`express-only/bare = ${(expressRow.per_s / bareRow.per_s).toFixed(2)}`);
    }
  }
  console.log(`  ratio: ${ratios.join('; ')}`);
}

if (section('2')) {
  console.log(`\n2. with ${HISTORY.toLocaleString('en')} records already in the log`);
  {
    const app = await startServer(cliFlags({ mode: 'app', images: IMAGES, prefill: HISTORY }));
    for (const clients of [1, 64])
      await patchRun(app, `app, ${HISTORY / 1000}k-record history`, clients);
    await stopServer(app);
  }
}

if (section('3')) {
  console.log(`\n3. while ${THUMBS} cold thumbnails render`);
  try {
    const photos = await photoFolder();
    const app = await startServer(cliFlags({ mode: 'app', 'gallery-dir': photos, images: IMAGES }));
    await patchRun(app, 'app, thumbnails rendering', 64, () => renderThumbnails(app.port), {
      images: THUMBS,
      template: '/photo-{0000}.jpg',
    });
    await stopServer(app);
  } catch (error) {
    console.log(`  skipped: ${(error as Error).message}`);
  }
}

if (section('4')) {
  console.log('\n4. fan-out: 200 SSE clients, 1,000 PATCH/s sustained');
  {
    const app = await startServer(cliFlags({ mode: 'app', images: IMAGES }));
    const cpu0 = await cpuSeconds(app.pid);
    const t0 = performance.now();
    const fan = await runGenerator(
      'loadgen-sse.ts',
      cliFlags({
        url: `http://127.0.0.1:${app.port}`,
        streams: 200,
        rate: 1000,
        writers: 64,
        'duration-ms': DURATION_MS,
        'warmup-ms': WARMUP_MS,
        images: IMAGES,
      }),
    );
    const cpu = ((await cpuSeconds(app.pid)) - cpu0) / ((performance.now() - t0) / 1000);
    const diagnostics = (await (
      await fetch(`http://127.0.0.1:${app.port}/presence/diagnostics`)
    ).json()) as { sse: { delivery_lag_ms: { p50: number; p99: number; max: number } } };
    const lag = diagnostics.sse.delivery_lag_ms;
    await stopServer(app);
    console.log(
      `  ${fan.patch_per_s!.toFixed(0)} PATCH/s; timed ${fan.deliveries!.toLocaleString('en')} deliveries on ${fan.measured_streams} of the 200 streams (expected ≈ ${fan.expected_deliveries!.toLocaleString('en')}); ${fan.disconnects} disconnects`,
    );
    console.log(
      `  PATCH-to-event p50 ${fan.p50_ms!.toFixed(2)} ms  p99 ${fan.p99_ms!.toFixed(2)} ms  max ${fan.max_ms!.toFixed(1)} ms  server CPU ${(cpu * 100).toFixed(0)}%  (target p99 ≤ 15 ms)`,
    );
    console.log(
      `  in the server, durable record → written to each stream: p50 ${lag.p50} ms  p99 ${lag.p99} ms  max ${lag.max} ms`,
    );
  }
}

const best64 = rows.find((r) => r.scenario === 'lenslet app' && r.clients === 64);
if (best64) {
  console.log(
    `\ntarget ≥ 4,000 durable PATCH/s at 64 clients: ${best64.per_s.toFixed(0)}/s ${best64.per_s >= 4000 ? 'met' : 'NOT met'}`,
  );
}

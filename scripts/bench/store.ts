/**
 * Benchmarks of the JSONL label store (`npm run bench:store`, or `npx tsx scripts/bench/store.ts
 * [--quick]`). Prints one table; targets from issue 2 are shown beside each number. Everything
 * runs on the real disk under the OS temp directory, which is removed at the end.
 *
 * 1. applies/s with 1, 16 and 256 concurrent callers, fsync and relaxed, beside the bare limit
 *    measured in the same run: a plain loop of write + fdatasync of the same lines (one line per
 *    sync), and the group-commit ideal (as many lines per write + fdatasync as there are callers);
 * 2. recovery of 1M records over 100k items without a snapshot, and with a snapshot + 10k tail;
 * 3. loading a snapshot of 1M items; RSS of a store holding 1M labeled items (separate process);
 * 4. `replay --until` over 1M records; history read p50/p95; compaction of 1M records and the
 *    longest write stall it caused while 16 callers kept writing.
 *
 * `--only applies` (or `recovery`, `snapshot`; comma-separated) runs only those sections; with
 * `--callers 256` and `--durability fsync` the applies section runs only those rows (for
 * profiling and A/B runs). With LENSLET_PROFILE=<prefix> each applies row writes
 * <prefix>-<durability>-<callers>.cpuprofile (main thread, that row only).
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  fdatasyncSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CanonicalPath } from '@lenslet/core';
import {
  encodeRecord,
  type JsonlStore,
  openJsonlStore,
  openWorkspaceReader,
  type WorkerOption,
} from '@lenslet/store';
import { BIN, binNodeFlags, bundleForBench, percentile } from '@lenslet/test-kit';
import { SNAPSHOT_WORKER_SOURCE } from '@lenslet/test-kit/esbuild';
import { generatedPath, generateLog } from '@lenslet/test-kit/fixtures';
import { applyThroughput } from './apply-throughput.ts';
import { flushTree } from './flush-tree.ts';
import { sec, secCpu, time } from './timing.ts';

const QUICK = process.argv.includes('--quick');
/** The value after `--name`, or undefined. */
function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}
const ONLY = flag('only')?.split(',') ?? ['applies', 'recovery', 'snapshot'];
const CALLERS = flag('callers')?.split(',').map(Number) ?? [1, 16, 256];
const DURABILITY = (flag('durability')?.split(',') ?? ['fsync', 'relaxed']) as (
  | 'fsync'
  | 'relaxed'
)[];
const PROFILE = process.env.LENSLET_PROFILE;
const RECORDS = QUICK ? 100_000 : 1_000_000;
const ITEMS = RECORDS / 10;
const TAIL = QUICK ? 1_000 : 10_000;
const SECONDS = QUICK ? 1 : 3;
const root = mkdtempSync(join(tmpdir(), 'lenslet-bench-store-'));
const rows: [string, string, string][] = [];
const quiet = { onWarning: () => {} };

function row(what: string, value: string, target = ''): void {
  rows.push([what, value, target]);
  console.log(`  ${what}: ${value}${target ? `   (target ${target})` : ''}`);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(0));

/**
 * CPU time of this process's main thread so far, in µs (Linux: the thread's schedstat), or NaN.
 * Unlike the process's CPU it leaves out GC helper, libuv and worker threads, which on a shared
 * machine spend time waiting for a core.
 */
function mainThreadCpuUs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8');
    return Number(stat.split(' ')[0]) / 1000;
  } catch {
    return Number.NaN;
  }
}

/**
 * applies/s for `callers` concurrent loops during SECONDS, the process's CPU µs per apply and the
 * main thread's.
 */
async function throughput(
  store: JsonlStore,
  callers: number,
  tag: string,
): Promise<[number, number, number]> {
  const session = PROFILE ? new Session() : null;
  session?.connect();
  await session?.post('Profiler.enable');
  await session?.post('Profiler.start');
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpuUs();
  const started = performance.now();
  const rate = await applyThroughput(store, callers, tag, SECONDS);
  const used = process.cpuUsage(cpu);
  const mainUsed = mainThreadCpuUs() - mainCpu;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${PROFILE}-${tag}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
  const applies = (rate * (performance.now() - started)) / 1000;
  return [rate, (used.user + used.system) / applies, mainUsed / applies];
}

/** Bare limit: `perSync` lines per write + fdatasync, in a plain synchronous loop. */
function bareLimit(perSync: number): number {
  const file = join(root, `bare-${perSync}.jsonl`);
  const fd = openSync(file, 'w');
  const line = Buffer.from(
    `${encodeRecord({ v: 1, seq: 1, at: new Date().toISOString(), actor: 'bench', path: '/t/x.jpg' as CanonicalPath, version: 2, mutation_id: 'bare-key-0001', fp: 'patch:0000000000000000', changes: [{ kind: 'tags_added', tags: ['x1'] }] })}\n`,
  );
  const group = Buffer.concat(Array.from({ length: perSync }, () => line));
  let lines = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  while (performance.now() < deadline) {
    writeSync(fd, group);
    fdatasyncSync(fd);
    lines += perSync;
  }
  const elapsed = performance.now() - started;
  closeSync(fd);
  rmSync(file);
  return (lines * 1000) / elapsed;
}

async function benchThroughput(worker: WorkerOption): Promise<void> {
  console.log(`\napplies/s (${SECONDS} s each)`);
  row('bare limit: write + fdatasync per line', `${fmt(bareLimit(1))}/s`);
  for (const durability of DURABILITY) {
    const store = await openJsonlStore(join(root, `tp-${durability}`), {
      durability,
      worker,
      ...quiet,
    });
    for (const callers of CALLERS) {
      const [rate, cpuUs, mainUs] = await throughput(store, callers, `${durability}-${callers}`);
      const ideal =
        durability === 'fsync' ? `; group-commit ideal ${fmt(bareLimit(callers))}/s` : '';
      row(
        `${durability}, ${callers} caller${callers > 1 ? 's' : ''}`,
        `${fmt(rate)}/s${ideal} (CPU ${cpuUs.toFixed(1)} µs per apply${Number.isNaN(mainUs) ? '' : `, main thread ${mainUs.toFixed(1)} µs`})`,
        durability === 'fsync' && callers === 256 ? '≥ 50,000/s' : '',
      );
    }
    await store.close();
  }
}

async function benchRecovery(worker: WorkerOption): Promise<void> {
  console.log(`\nrecovery (${fmt(RECORDS)} records over ${fmt(ITEMS)} images)`);
  const dir = join(root, 'recovery');
  generateLog(dir, RECORDS, ITEMS);
  row('log size', `${fmt(statSync(join(dir, 'labels.log.jsonl')).size / 2 ** 20)} MiB`);
  flushTree(dir);
  const [cold, coldMs] = await time(() => openJsonlStore(dir, { worker, ...quiet }));
  row(
    `open without a snapshot (${fmt(RECORDS)} records)`,
    secCpu(coldMs),
    RECORDS === 1e6 ? '≤ 5 s' : '',
  );
  const [, closeMs] = await time(() => cold.close());
  row('close: snapshot of the whole log (worker thread)', sec(closeMs));
  generateLog(dir, TAIL, ITEMS, RECORDS + 1);
  flushTree(dir);
  const [warm, warmMs] = await time(() => openJsonlStore(dir, { worker, ...quiet }));
  row(
    `open with snapshot + ${fmt(TAIL)}-record tail`,
    secCpu(warmMs),
    RECORDS === 1e6 ? '≤ 0.5 s' : '',
  );

  console.log('\nhistory and replay');
  const latencies: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const item = Math.floor(Math.random() * ITEMS);
    const path = generatedPath(item);
    const started = performance.now();
    const history = await warm.history(path);
    latencies.push(performance.now() - started);
    if (history.length === 0) throw new Error(`no history for ${path}`);
  }
  row(
    'history(path) p50 / p95',
    `${ms(percentile(latencies, 0.5))} / ${ms(percentile(latencies, 0.95))} ms`,
    '≤ 20 ms p95',
  );
  await warm.close();
  const reader = await openWorkspaceReader(dir);
  const [state, replayMs] = await time(() => reader.stateAt({ seq: Math.floor(RECORDS / 2) }));
  row(`replay --until ${fmt(state.seq)} (fold from seq 1)`, secCpu(replayMs));
  const [, latestMs] = await time(() => reader.stateAt({}));
  row('replay (latest: snapshot + tail)', secCpu(latestMs));

  console.log('\ncompaction');
  const store = await openJsonlStore(dir, { worker, compact_above_bytes: 0, ...quiet });
  let stop = false;
  let worst = 0;
  let writes = 0;
  const writer = async (id: number) => {
    for (let i = 0; !stop; i++) {
      const started = performance.now();
      await store.apply(
        { path: `/live/w${id}-${i % 100}.jpg` as CanonicalPath, patch: { add_tags: [`c${i}`] } },
        { actor: 'bench', mutation_id: `compact-${id}-${i}`, mode: 'patch' },
      );
      worst = Math.max(worst, performance.now() - started);
      writes += 1;
    }
  };
  const writers = Array.from({ length: 16 }, (_, id) => writer(id));
  await new Promise((resolve) => setTimeout(resolve, 300));
  worst = 0;
  const [report, compactMs] = await time(() => store.compact());
  stop = true;
  await Promise.all(writers);
  row(
    `compact ${fmt(report.to_seq - report.from_seq + 1)} records (rotate, gzip, snapshot)`,
    sec(compactMs),
  );
  row(
    '  sizes before → after',
    `${fmt(report.bytes_before / 2 ** 20)} MiB → ${fmt(report.bytes_after / 2 ** 20)} MiB`,
  );
  row('  rotation under the write lock', `${ms(report.longest_stall_ms)} ms`);
  row('  slowest write while compacting (16 callers)', `${ms(worst)} ms (${fmt(writes)} writes)`);
  await store.close();
}

async function benchSnapshotLoad(worker: WorkerOption): Promise<void> {
  console.log(`\n${fmt(RECORDS)} labeled images`);
  const dir = join(root, 'wide');
  generateLog(dir, RECORDS, RECORDS);
  const first = await openJsonlStore(dir, { worker, ...quiet });
  await first.close();
  const snapshotBytes = statSync(join(dir, 'labels.snapshot.json')).size;
  flushTree(dir);
  const [store, loadMs] = await time(() => openJsonlStore(dir, { worker, ...quiet }));
  row(
    `open = snapshot load (${fmt(RECORDS)} items, ${fmt(snapshotBytes / 2 ** 20)} MiB)`,
    secCpu(loadMs),
    RECORDS === 1e6 ? '≤ 3 s' : '',
  );
  await store.close();
  const child = spawnSync(
    process.execPath,
    [
      ...binNodeFlags(BIN),
      '--expose-gc',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--child-rss',
      dir,
    ],
    { encoding: 'utf8' },
  );
  const rss = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
    rss?: number;
    heap?: number;
  };
  if (rss.rss === undefined) throw new Error(`rss child failed: ${child.stderr}`);
  row(
    `RSS holding ${fmt(RECORDS)} labeled images (own process)`,
    `${fmt(rss.rss / 2 ** 20)} MiB (heap ${fmt((rss.heap ?? 0) / 2 ** 20)} MiB)`,
    RECORDS === 1e6 ? '≤ 600 MB' : '',
  );
}

async function childRss(dir: string): Promise<void> {
  const store = await openJsonlStore(dir, quiet);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  console.log(JSON.stringify({ rss, heap: heapUsed, items: store.items().size }));
  await store.close();
}

async function main(): Promise<void> {
  const rssAt = process.argv.indexOf('--child-rss');
  if (rssAt !== -1) return childRss(process.argv[rssAt + 1]!);
  const worker: WorkerOption = {
    url: pathToFileURL(await bundleForBench(SNAPSHOT_WORKER_SOURCE, 'snapshot-worker')),
  };
  console.log(`store benchmark${QUICK ? ' (--quick)' : ''} in ${root}, node ${process.version}`);
  try {
    if (ONLY.includes('applies')) await benchThroughput(worker);
    if (ONLY.includes('recovery')) await benchRecovery(worker);
    if (ONLY.includes('snapshot')) await benchSnapshotLoad(worker);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log('\n| measurement | result | target |\n|---|---|---|');
  for (const [what, value, target] of rows) console.log(`| ${what} | ${value} | ${target} |`);
}

await main();

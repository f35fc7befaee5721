/**
 * Focused start-up timing of the JSONL store, for profiling and A/B runs (the full table is
 * scripts/bench/store.ts). `--prepare DIR` writes three workspaces under DIR once: `cold` (1M
 * records over 100k images, no snapshot), `warm` (the same with a snapshot + a 10k-record tail)
 * and `wide` (a snapshot of 1M images). `DIR [cold|warm|wide …]` opens each (read-write copy made
 * fresh first) and prints wall and CPU time per open (all threads, and the main thread's
 * alone); run it under `node --cpu-prof` to profile. `lenslet serve` runs with the node flags
 * of the bin's launcher line (`npm run bench` passes them on); to time the same here, run
 * `node --max-semi-space-size=32 --import tsx scripts/bench/store-open.ts …`.
 * The copy is flushed to disk before the open is timed: a real restart opens files the store
 * fsynced long ago, while the open's first fsync (the lock) would otherwise wait for the copy's
 * hundreds of MB of dirty pages (measured: ~150 ms of a warm open at load 5). `--no-flush` keeps
 * the old behaviour for comparison.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openJsonlStore, type WorkerOption } from '@lenslet/store';
import { bundleForBench } from '@lenslet/test-kit';
import { SNAPSHOT_WORKER_SOURCE } from '@lenslet/test-kit/esbuild';
import { generateLog } from '@lenslet/test-kit/fixtures';
import { flushTree } from './flush-tree.ts';
import { secCpu, time } from './timing.ts';

const RECORDS = 1_000_000;
const TAIL = 10_000;
const quiet = { onWarning: () => {} };
const flags = new Set<string>(process.argv.slice(2).filter((a) => a === '--no-flush'));
const args = process.argv.slice(2).filter((a) => !flags.has(a));
/** With LENSLET_PROFILE=<prefix>, each open writes <prefix>-<name>.cpuprofile (main thread). */
const PROFILE = process.env.LENSLET_PROFILE;
const worker: WorkerOption = {
  url: pathToFileURL(await bundleForBench(SNAPSHOT_WORKER_SOURCE, 'snapshot-worker')),
};

async function prepare(root: string): Promise<void> {
  generateLog(join(root, 'cold'), RECORDS, RECORDS / 10);
  cpSync(join(root, 'cold'), join(root, 'warm'), { recursive: true });
  await (await openJsonlStore(join(root, 'warm'), { worker, ...quiet })).close();
  generateLog(join(root, 'warm'), TAIL, RECORDS / 10, RECORDS + 1);
  generateLog(join(root, 'wide'), RECORDS, RECORDS);
  await (await openJsonlStore(join(root, 'wide'), { worker, ...quiet })).close();
}

/** CPU seconds of this process's main thread so far (Linux /proc; null elsewhere). */
function mainThreadCpu(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100;

async function openOnce(root: string, name: string): Promise<void> {
  const dir = join(root, `${name}-run`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, name), dir, { recursive: true });
  if (!flags.has('--no-flush')) flushTree(dir);
  const session = PROFILE ? new Session() : null;
  session?.connect();
  await session?.post('Profiler.enable');
  await session?.post('Profiler.start');
  const mainBefore = mainThreadCpu();
  const [store, wallMs] = await time(() => openJsonlStore(dir, { worker, ...quiet }));
  const mainAfter = mainThreadCpu();
  const main =
    mainBefore === null || mainAfter === null
      ? ''
      : `, main thread ${(mainAfter - mainBefore).toFixed(2)} s`;
  console.log(`${name}: ${secCpu(wallMs)}${main}, load ${loadavg()[0]!.toFixed(1)}`);
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${PROFILE}-${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

if (args[0] === '--prepare') await prepare(args[1]!);
else {
  const root = args[0]!;
  if (!existsSync(join(root, 'cold'))) throw new Error(`run --prepare ${root} first`);
  for (const name of args.slice(1)) await openOnce(root, name);
}

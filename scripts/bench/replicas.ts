/**
 * Replicas benchmark: `npx tsx scripts/bench/replicas.ts [--quick] [--rounds=N]`
 * (`npm run bench:replicas -- --quick --rounds=N`).
 *
 * Durable PATCH/s at 64 keep-alive clients (scripts/bench/loadgen.ts in its own process) through
 * the built CLI, three ways, in interleaved rounds so a busy machine hurts each alike:
 * - `jsonl`: one `lenslet serve` on its workspace (the embedded default), no load balancer;
 * - `pg ×1`: one `lenslet serve --store postgres://…` behind HAProxy (docs/deploy.md's config);
 * - `pg ×3`: three replicas on the same database behind the same HAProxy config.
 * PostgreSQL 15 is a fresh cluster in a temp dir (fsync on, synchronous_commit on, no standby).
 * Everything — the database, HAProxy, the replicas and the load generator — shares this machine,
 * so the replicas compete with the database for the same cores. Targets (issue 13): pg ×3 ≥ jsonl,
 * pg ×1 ≥ 0.5 × jsonl.
 */
import { link, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPgCluster } from '@lenslet/postgres/testing';
import {
  cliFlags,
  ensureBuilt,
  FIXTURE_GALLERY,
  freePort,
  ManagedServer,
  median,
  runScript,
  startReplicaSet,
} from '@lenslet/test-kit';

const QUICK = process.argv.includes('--quick');
const roundsArg = process.argv.find((a) => a.startsWith('--rounds='));
const ROUNDS = roundsArg ? Number(roundsArg.slice('--rounds='.length)) : QUICK ? 2 : 3;
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error('replicas bench: --rounds=N needs a whole number of rounds, 1 or more');
  process.exit(2);
}
const CLIENTS = 64;
const IMAGES = 500;
const DURATION_MS = QUICK ? 4_000 : 8_000;
const WARMUP_MS = 1_000;

type Result = { per_s: number; p50_ms: number; p99_ms: number; errors: number };

/** A folder of `IMAGES` hard links to one fixture JPEG, named img0.jpg … */
async function gallery(root: string, name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  const source = join(FIXTURE_GALLERY, 'landscape.jpg');
  for (let i = 0; i < IMAGES; i++) await link(source, join(dir, `img${i}.jpg`));
  return dir;
}

function load(url: string, tag: string): Promise<Result> {
  return runScript<Result>(
    join(import.meta.dirname, 'loadgen.ts'),
    cliFlags({
      url,
      clients: CLIENTS,
      'duration-ms': DURATION_MS,
      'warmup-ms': WARMUP_MS,
      images: IMAGES,
      tag,
    }),
  );
}

await ensureBuilt();
const root = await mkdtemp(join(tmpdir(), 'lenslet-bench-replicas-'));
const cluster = await startPgCluster({ prefix: 'lenslet-bench-pg-' });
try {
  await cluster.psql('CREATE DATABASE bench');
  const store = cluster.url('bench');
  const jsonlDir = await gallery(root, 'jsonl');
  const pgDir = await gallery(root, 'pg');
  const runs: Record<string, Result[]> = { jsonl: [], 'pg ×1': [], 'pg ×3': [] };

  for (let round = 0; round < ROUNDS; round++) {
    const jsonl = new ManagedServer({ args: [jsonlDir, '--watch', 'off'], port: await freePort() });
    await jsonl.start();
    runs.jsonl!.push(await load(jsonl.url, `j${round}`));
    await jsonl.stop();
    for (const replicas of [1, 3]) {
      const set = await startReplicaSet({ store, replicas, gallery: pgDir, copy: false });
      runs[`pg ×${replicas}`]!.push(await load(set.url, `p${replicas}r${round}`));
      await set.stop();
    }
  }

  const jsonlMedian = median(runs.jsonl!.map((r) => r.per_s));
  console.log(
    `\nDurable PATCH/s at ${CLIENTS} clients, ${ROUNDS} interleaved rounds of ${DURATION_MS / 1000} s (median; every run)`,
  );
  console.log('| setup | PATCH/s | ratio to jsonl | p50 ms | p99 ms | runs (PATCH/s) | errors |');
  console.log('|---|---:|---:|---:|---:|---|---:|');
  for (const [name, results] of Object.entries(runs)) {
    const perS = median(results.map((r) => r.per_s));
    const errors = results.reduce((sum, r) => sum + r.errors, 0);
    console.log(
      `| ${name} | ${Math.round(perS)} | ${(perS / jsonlMedian).toFixed(2)} | ${median(results.map((r) => r.p50_ms)).toFixed(1)} | ${median(results.map((r) => r.p99_ms)).toFixed(1)} | ${results.map((r) => Math.round(r.per_s)).join(', ')} | ${errors} |`,
    );
  }
  console.log('targets: pg ×3 ≥ 1.00 × jsonl; pg ×1 ≥ 0.50 × jsonl');
} finally {
  await cluster.destroy();
  await rm(root, { recursive: true, force: true });
}

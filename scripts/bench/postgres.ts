/**
 * Benchmarks of the PostgreSQL label store (`npm run bench:postgres`, or `npx tsx
 * scripts/bench/postgres.ts [--quick]`). Starts its own PostgreSQL 15 clusters (a primary, then a
 * synchronous standby) in temp directories and prints one table. Store level only; the HTTP-level
 * numbers (PATCH/s through replicas behind HAProxy) come with the server integration.
 *
 * 1. durable appends/s with 1, 64 and 256 concurrent callers (group commit), beside limits
 *    measured in the same run: one transaction per append from 64 connections (no group commit),
 *    an empty-commit loop on one connection (one WAL flush per commit), and the JSONL store at 64
 *    callers on the same disk; then 64 callers with a synchronous standby, and two replicas on one
 *    database (write → event on the other replica, p50/p99);
 * 2. replay of the whole log by keyset pages (beyond the in-memory ring);
 * 3. replica cold start: whole log without a snapshot, and snapshot + tail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalPath, Change, LabelRecord } from '@lenslet/core';
import { openPostgresStore } from '@lenslet/postgres';
import { type PgCluster, startPgCluster, startStandby } from '@lenslet/postgres/testing';
import { encodeRecord, type LabelStore, openJsonlStore } from '@lenslet/store';
import postgres from 'postgres';
import { applyThroughput } from './apply-throughput.ts';
import { sec, secCpu, time } from './timing.ts';

const QUICK = process.argv.includes('--quick');
/** `--only appends|standby|log` runs one section. */
const ONLY = process.argv[process.argv.indexOf('--only') + 1] ?? null;
const runs = (section: string) => !process.argv.includes('--only') || ONLY === section;
const RECORDS = QUICK ? 100_000 : 1_000_000;
const TAIL = QUICK ? 1_000 : 10_000;
const SECONDS = QUICK ? 2 : 5;
const rows: [string, string, string][] = [];
const quiet = { onWarning: () => {} };
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function row(what: string, value: string, note = ''): void {
  rows.push([what, value, note]);
  console.log(`  ${what}: ${value}${note ? `   (${note})` : ''}`);
}

let databases = 0;
async function database(cluster: PgCluster): Promise<string> {
  const name = `bench_${++databases}`;
  await cluster.psql(`CREATE DATABASE ${name}`);
  return cluster.url(name);
}

let lastCost = '';

/**
 * Appends/s for `callers` concurrent loops during SECONDS (the store bench's write mix); the CPU
 * each append cost this process and the cluster (if given) is left in `lastCost`.
 */
async function throughput(
  store: LabelStore,
  callers: number,
  tag: string,
  cluster?: PgCluster,
): Promise<number> {
  const cpu = process.cpuUsage();
  const pgBefore = cluster?.cpuMs() ?? 0;
  const started = performance.now();
  const rate = await applyThroughput(store, callers, tag, SECONDS);
  const appends = (rate * (performance.now() - started)) / 1000;
  const used = process.cpuUsage(cpu);
  const node = (used.user + used.system) / appends;
  const pg = cluster ? ((cluster.cpuMs() - pgBefore) * 1000) / appends : 0;
  lastCost = `CPU/append: node ${node.toFixed(0)} µs${cluster ? ` + PostgreSQL ${pg.toFixed(0)} µs` : ''}`;
  return rate;
}

/** Limit without group commit: each append its own transaction (lock, insert, COMMIT). */
async function oneTransactionEach(url: string, callers: number): Promise<number> {
  const sql = postgres(url, { max: callers, onnotice: () => {} });
  await sql`CREATE TABLE naive_head (id int PRIMARY KEY, seq bigint NOT NULL)`;
  await sql`INSERT INTO naive_head VALUES (1, 0)`;
  await sql`CREATE TABLE naive_log (seq bigint PRIMARY KEY, line text NOT NULL)`;
  let done = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) {
        await sql.begin(async (tx) => {
          const [head] = await tx`SELECT seq FROM naive_head WHERE id = 1 FOR UPDATE`;
          const seq = Number(head!.seq) + 1;
          await tx`INSERT INTO naive_log VALUES (${seq}, ${'x'.repeat(200)})`;
          await tx`UPDATE naive_head SET seq = ${seq} WHERE id = 1`;
        });
        done += 1;
      }
    }),
  );
  const rate = (done * 1000) / (performance.now() - started);
  await sql.end();
  return rate;
}

/** Commits/s of an empty transaction on one connection: one WAL flush each. */
async function commitLoop(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql`CREATE TABLE flush_probe (id int PRIMARY KEY, n bigint NOT NULL)`;
  await sql`INSERT INTO flush_probe VALUES (1, 0)`;
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    await sql`UPDATE flush_probe SET n = n + 1 WHERE id = 1`;
    done += 1;
  }
  const rate = (done * 1000) / (performance.now() - started);
  await sql.end();
  return rate;
}

async function benchAppends(primary: PgCluster): Promise<void> {
  console.log(`\ndurable appends/s (${SECONDS} s each)`);
  row(
    'limit: empty commit loop, 1 connection',
    `${fmt(await commitLoop(await database(primary)))}/s`,
  );
  row(
    'limit: one transaction per append, 64 connections',
    `${fmt(await oneTransactionEach(await database(primary), 64))}/s`,
  );
  const store = await openPostgresStore(await database(primary), quiet);
  const rates = new Map<number, number>();
  for (const callers of [1, 64, 256]) {
    rates.set(callers, await throughput(store, callers, `pg-${callers}`, primary));
    row(
      `postgres store, ${callers} caller${callers > 1 ? 's' : ''}`,
      `${fmt(rates.get(callers)!)}/s`,
      lastCost,
    );
  }
  await store.close();
  const root = mkdtempSync(join(tmpdir(), 'lenslet-bench-pg-jsonl-'));
  try {
    const jsonl = await openJsonlStore(join(root, '.lenslet'), quiet);
    const rate = await throughput(jsonl, 64, 'jsonl-64');
    await jsonl.close();
    row(
      'jsonl store (same disk), 64 callers',
      `${fmt(rate)}/s`,
      `${lastCost}; postgres / jsonl = ${(rates.get(64)! / rate).toFixed(2)}`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchStandby(primary: PgCluster): Promise<void> {
  console.log('\nwith a synchronous standby');
  const url = await database(primary);
  const standby = await startStandby(primary, { synchronous: true });
  try {
    const a = await openPostgresStore(url, quiet);
    row(
      'postgres store, 64 callers, synchronous standby',
      `${fmt(await throughput(a, 64, 'sync', primary))}/s`,
      `${lastCost} (primary only)`,
    );
    const b = await openPostgresStore(url, quiet);
    const sent = new Map<number, number>();
    const lags: number[] = [];
    b.subscribe((batch) => {
      const now = performance.now();
      for (const { record } of batch) {
        const at = sent.get(record.seq);
        if (at !== undefined) lags.push(now - at);
      }
    });
    for (let i = 0; i < (QUICK ? 300 : 1000); i++) {
      const result = await a.apply(
        { path: `/lag/${i % 50}.jpg` as CanonicalPath, patch: { set_metrics: { n: i } } },
        { actor: 'bench', mutation_id: `lag-${i}`, mode: 'metrics' },
      );
      sent.set(result.seq, performance.now());
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await b.sync();
    lags.sort((x, y) => x - y);
    const pct = (q: number) => lags[Math.min(lags.length - 1, Math.floor(lags.length * q))]!;
    row(
      'write acknowledged on A → event on replica B',
      `p50 ${pct(0.5).toFixed(2)} ms, p99 ${pct(0.99).toFixed(2)} ms`,
      `${lags.length} writes, one at a time`,
    );
    const both = await Promise.all([throughput(a, 32, 'two-a'), throughput(b, 32, 'two-b')]);
    row('two replicas, 32 callers each, synchronous standby', `${fmt(both[0] + both[1])}/s`);
    await a.close();
    await b.close();
  } finally {
    await standby.destroy();
    await primary.psql('ALTER SYSTEM RESET synchronous_standby_names');
    await primary.psql('SELECT pg_reload_conf()');
  }
}

/** Write `count` generated records straight into the tables of an opened-and-closed store. */
async function generate(url: string, count: number, firstSeq = 1): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const items = Math.max(1, RECORDS / 10);
  const versions = new Map<number, number>();
  if (firstSeq > 1) {
    for (let seq = 1; seq < firstSeq; seq++) {
      const item = (seq - 1) % items;
      versions.set(item, (versions.get(item) ?? 1) + 1);
    }
  }
  const start = Date.UTC(2026, 0, 1);
  const chunk = 10_000;
  for (let from = firstSeq; from < firstSeq + count; from += chunk) {
    let text = '';
    for (let seq = from; seq < Math.min(from + chunk, firstSeq + count); seq++) {
      const item = (seq - 1) % items;
      const version = (versions.get(item) ?? 1) + 1;
      versions.set(item, version);
      const changes: Change[] =
        seq % 2 === 0
          ? [{ kind: 'metrics_set', metrics: { score: seq % 1000 }, from: { score: null } }]
          : [{ kind: 'tags_added', tags: [`tag-${seq % 50}`] }];
      const record: LabelRecord = {
        v: 1,
        seq,
        at: new Date(start + seq * 10).toISOString(),
        actor: `user${seq % 7}`,
        path: `/shoot-${item % 100}/frame-${item}.jpg` as CanonicalPath,
        version,
        mutation_id: `gen-${seq.toString(36)}`,
        fp: 'patch:0000000000000000',
        changes,
      };
      // COPY text format: backslashes are the only special bytes a JSONL line can hold.
      text += `${seq}\t${record.path}\t${record.mutation_id}\t${encodeRecord(record).replaceAll('\\', '\\\\')}\n`;
    }
    const copy = await sql`COPY lenslet_log (seq, path, mutation_id, line) FROM STDIN`.writable();
    await new Promise<void>((resolve, reject) => {
      copy.on('error', reject);
      copy.end(text, () => resolve());
    });
  }
  await sql`UPDATE lenslet_head SET seq = ${firstSeq + count - 1} WHERE id = 1`;
  await sql`VACUUM ANALYZE lenslet_log`;
  await sql.end();
}

async function benchLog(primary: PgCluster): Promise<void> {
  console.log(`\nlog of ${fmt(RECORDS)} records over ${fmt(RECORDS / 10)} images`);
  const url = await database(primary);
  await (await openPostgresStore(url, quiet)).close();
  const [, genMs] = await time(() => generate(url, RECORDS));
  row(`generate ${fmt(RECORDS)} records (COPY)`, sec(genMs));
  const [cold, coldMs] = await time(() => openPostgresStore(url, { ...quiet, ring_records: 1 }));
  row('cold start without a snapshot (fold the whole log)', secCpu(coldMs));
  const [count, replayMs] = await time(async () => {
    let n = 0;
    for await (const _ of cold.replay(0)) n += 1;
    return n;
  });
  row(
    `replay(0) of ${fmt(count)} records (keyset pages)`,
    secCpu(replayMs),
    `${fmt((count * 1000) / replayMs)} records/s`,
  );
  const [, snapMs] = await time(() => cold.snapshot());
  row(`snapshot of ${fmt(cold.items().size)} items into the database`, secCpu(snapMs));
  await cold.close();
  await generate(url, TAIL, RECORDS + 1);
  const [warm, warmMs] = await time(() => openPostgresStore(url, quiet));
  row(
    `cold start from snapshot + ${fmt(TAIL)} tail records`,
    secCpu(warmMs),
    `head ${fmt(warm.head())}`,
  );
  await warm.close();
}

async function main(): Promise<void> {
  console.log(`postgres store benchmark${QUICK ? ' (--quick)' : ''}, node ${process.version}`);
  const primary = await startPgCluster({ prefix: 'lenslet-bench-pg-' });
  try {
    if (runs('appends')) await benchAppends(primary);
    if (runs('standby')) await benchStandby(primary);
    if (runs('log')) await benchLog(primary);
  } finally {
    await primary.destroy();
  }
  console.log('\n| measurement | result | note |\n|---|---|---|');
  for (const [what, value, note] of rows) console.log(`| ${what} | ${value} | ${note} |`);
}

await main();

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { encodeRecord } from '@lenslet/store';
import { expect, test } from 'vitest';
import { openPostgresStore } from './open-postgres-store.ts';
import { type Ack, expectAllAcknowledged, startLoad, until } from './test-load.ts';
import { freshDatabase, p, quick, rejection, useCluster } from './test-support.ts';

const cluster = useCluster();

test('PostgreSQL stopped and started under load: 503 while down, reads go on, writes resume, nothing acknowledged is lost', async () => {
  const url = await freshDatabase(cluster());
  const store = await openPostgresStore(url, { ...quick, write_timeout_ms: 2_000 });
  const states: string[] = [];
  store.onStatus((status) => states.push(status.state));
  const load = startLoad(store, 8, 'stop');
  try {
    await until(() => load.acks.length >= 100);
    await cluster().stop();
    await until(() => load.failures.length >= 8);
    expect(store.status()).toMatchObject({ state: 'failing' });
    expect(store.status().error).toBeTruthy();
    // Reads answer from the projection while the database is down.
    expect(store.head()).toBeGreaterThanOrEqual(load.acks.at(-1)!.seq);
    expect(store.get(p('/load/w0-0.jpg')).version).toBeGreaterThan(1);
    expect(store.items().size).toBeGreaterThan(0);
    // Once the poll has seen the database gone, sync() answers at once instead of waiting.
    let quickly = false;
    for (let i = 0; i < 50 && !quickly; i++) {
      const started = Date.now();
      expect((await rejection(store.sync())).code).toBe('persistence_unavailable');
      quickly = Date.now() - started < 50;
      if (!quickly) await new Promise((r) => setTimeout(r, 100));
    }
    expect(quickly).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    const restarted = Date.now();
    await cluster().start();
    await until(() => load.acks.filter((a) => a.at > restarted).length >= 100);
    await until(() => store.status().state === 'saved');
  } finally {
    await load.stop();
    if (cluster().pid() === null) await cluster().start();
  }
  expect(new Set(load.failures.map((f) => f.code))).toEqual(new Set(['persistence_unavailable']));
  expect(Math.max(...load.failures.map((f) => f.ms))).toBeLessThan(5_000);
  expect(states).toEqual(['failing', 'saved']);
  await store.sync();
  const count = await expectAllAcknowledged(url, load.acks);
  expect(count).toBe(store.head());
  expect(count).toBe(new Set(load.acks.map((a) => a.seq)).size);
  await store.close();
  const reopened = await openPostgresStore(url, quick);
  expect(new Map(reopened.items())).toEqual(new Map(store.items()));
  await reopened.close();
});

test('a replica SIGKILLed under 16 writers: the other replica goes on, nothing acknowledged is lost, seqs gapless', async () => {
  const url = await freshDatabase(cluster());
  const survivor = await openPostgresStore(url, quick);
  const seen: number[] = [];
  survivor.subscribe((batch) => seen.push(...batch.map((c) => c.record.seq)));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./replica-child.ts', import.meta.url)),
      url,
      '16',
      'child',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const childAcks: Ack[] = [];
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (buffered + chunk).split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const { mutation_id, record } = JSON.parse(line);
      childAcks.push({ mutation_id, seq: record.seq, line: encodeRecord(record), at: Date.now() });
    }
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const load = startLoad(survivor, 8, 'survivor');
  try {
    await until(() => childAcks.length >= 200 && load.acks.length >= 50, 30_000);
    child.kill('SIGKILL');
    await exited;
    const killed = Date.now();
    await until(() => load.acks.filter((a) => a.at > killed).length >= 50);
  } finally {
    child.kill('SIGKILL');
    await load.stop();
  }
  expect(load.failures).toEqual([]);
  await survivor.sync();
  const count = await expectAllAcknowledged(url, [...childAcks, ...load.acks]);
  expect(survivor.head()).toBe(count);
  expect(seen).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  await survivor.close();
});

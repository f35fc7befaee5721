/**
 * The built CLI with `--store postgres://…`: every bad input is one line naming the problem and
 * a non-zero exit (malformed URL, refused login, missing database, unreachable server, schema
 * newer than the binary, another workspace's log, a workspace whose own labels are not in the
 * database); `lenslet migrate` copies a whole log both ways — history, views, idempotency — and
 * verifies it; `replay` and `compact` work on the database as on a workspace.
 */
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import { openPostgresStore, SCHEMA_VERSION } from '@lenslet/postgres';
import { type PgCluster, startPgCluster } from '@lenslet/postgres/testing';
import { openJsonlStore } from '@lenslet/store';
import {
  ensureBuilt,
  FIXTURE_GALLERY,
  FIXTURE_LOGS,
  ROOT,
  removeServed,
  runCli,
  serveGallery,
} from '@lenslet/test-kit';
import { afterAll, beforeAll, expect, test } from 'vitest';

let cluster: PgCluster;
let root: string;
let databases = 0;

beforeAll(async () => {
  await ensureBuilt();
  cluster = await startPgCluster();
  root = await mkdtemp(join(tmpdir(), 'lenslet-store-pg-cli-'));
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await cluster?.destroy();
});

async function database(): Promise<string> {
  const name = `cli_${++databases}`;
  await cluster.psql(`CREATE DATABASE ${name}`);
  return cluster.url(name);
}

async function folder(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await copyFile(join(FIXTURE_GALLERY, 'landscape.jpg'), join(dir, 'landscape.jpg'));
  return dir;
}

const cli = (...args: string[]) => runCli(args);
const serveFails = (dir: string, url: string) =>
  cli('serve', dir, '--store', url, '--port', '0', '--watch', 'off');

function expectOneLine(result: { code: number; stderr: string }, code: number, pattern: RegExp) {
  expect(result.code).toBe(code);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

test('bad --store input: one line naming the problem, a non-zero exit', async () => {
  const dir = await folder('bad-input');
  const good = await database();
  const at = (path: string) => good.replace(/\/[^/]*$/, path);
  expectOneLine(await serveFails(dir, 'postgres://x@[oops/db'), 2, /malformed host/);
  expectOneLine(await serveFails(dir, 'mysql://db/x'), 2, /must be a postgres:\/\/ URL/);
  expectOneLine(
    await serveFails(dir, good.replace('postgres@', 'nobody@')),
    1,
    /PostgreSQL refused the login .*nobody/,
  );
  expectOneLine(await serveFails(dir, at('/missing')), 1, /database "missing" does not exist/);
  expectOneLine(
    await serveFails(dir, 'postgres://postgres@127.0.0.1:1/x'),
    1,
    /cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/x/,
  );
  const newer = await database();
  const store = await openPostgresStore(newer, { onWarning: () => {} });
  await store.close();
  await cluster.psql(
    `INSERT INTO lenslet_schema (version) VALUES (${SCHEMA_VERSION + 1})`,
    newer.split('/').at(-1)!,
  );
  expectOneLine(await serveFails(dir, newer), 1, /newer than this Lenslet understands/);
}, 120_000);

test('a workspace bound to one log is refused by a database holding another; own labels must be migrated first', async () => {
  const dir = await folder('bound');
  const first = await database();
  const other = await database();
  // Bind the workspace to the first database's log (what the first `serve` does).
  const a = await openPostgresStore(first, { onWarning: () => {} });
  const b = await openPostgresStore(other, { onWarning: () => {} });
  await mkdir(join(dir, '.lenslet'));
  await writeFile(
    join(dir, '.lenslet/label-store.json'),
    JSON.stringify({ log_id: a.log_id, store: first, bound_at: new Date().toISOString() }),
  );
  await Promise.all([a.close(), b.close()]);
  expectOneLine(
    await serveFails(dir, other),
    1,
    new RegExp(`another workspace's label log \\(log_id ${b.log_id}, expected ${a.log_id}\\)`),
  );
  // A workspace with labels of its own (a JSONL log) and an empty database: copy them first.
  const own = await folder('own-labels');
  await mkdir(join(own, '.lenslet'));
  await copyFile(join(FIXTURE_LOGS, 'good.jsonl'), join(own, '.lenslet/labels.log.jsonl'));
  expectOneLine(
    await serveFails(own, await database()),
    1,
    /holds labels of its own .*lenslet migrate --from/,
  );
}, 60_000);

test('migrate copies history, views and idempotency both ways, and replay is identical', async () => {
  const source = await folder('source');
  const workspace = join(source, '.lenslet');
  const jsonl = await openJsonlStore(workspace, { onWarning: () => {} });
  const entry = (i: number) => ({
    path: `/img${i % 3}.jpg` as CanonicalPath,
    patch: { add_tags: [`t${i}`], set_metrics: { score: i / 10 } },
  });
  const meta = (i: number) => ({
    actor: 'ana',
    mutation_id: `migrate-key-${i}`,
    mode: 'patch' as const,
  });
  for (let i = 0; i < 40; i++) await jsonl.apply(entry(i), meta(i));
  const logId = jsonl.log_id;
  await jsonl.close();
  const views = {
    version: 1,
    revision: 3,
    views: [{ id: 'v', name: 'Mine', pool: { kind: 'folder', path: '/' } }],
  };
  await writeFile(join(workspace, 'views.json'), JSON.stringify(views));

  const url = await database();
  const there = await cli('migrate', '--from', source, '--to', url);
  expect(there.code, there.stderr).toBe(0);
  expect(there.stdout).toMatch(/copied 40 records \(log .*\) and 1 saved views \(revision 3\)/);
  expect(there.stdout).toMatch(/verified: "lenslet replay --format json" gives the same \d+ bytes/);
  const fromDir = await cli('replay', source);
  const fromDb = await cli('replay', '--store', url);
  expect(fromDb.stdout).toBe(fromDir.stdout);
  expect((await cli('replay', '--store', url, '--until', '10')).stdout).toBe(
    (await cli('replay', source, '--until', '10')).stdout,
  );
  expect((await cli('replay', '--store', url, '--path', '/img1.jpg')).stdout).toBe(
    (await cli('replay', source, '--path', '/img1.jpg')).stdout,
  );
  // The database took the log's id, its views and its idempotency keys.
  const store = await openPostgresStore(url, { log_id: logId, onWarning: () => {} });
  try {
    expect(await store.views.read()).toEqual(views);
    const retry = await store.apply(entry(7), meta(7));
    expect(retry).toMatchObject({ replayed: true, seq: 8 });
    expect(store.head()).toBe(40);
  } finally {
    await store.close();
  }
  // And back into a new workspace.
  const back = join(root, 'back');
  const home = await cli('migrate', '--from', url, '--to', back);
  expect(home.code, home.stderr).toBe(0);
  expect((await cli('replay', back)).stdout).toBe(fromDir.stdout);
  expect(JSON.parse(await readFile(join(back, '.lenslet/views.json'), 'utf8'))).toEqual(views);
  // Into a destination that holds labels already: refused, nothing changed.
  const again = await cli('migrate', '--from', source, '--to', url);
  expectOneLine(again, 1, /already holds labels or views/);
}, 120_000);

test('a workspace imported from the original Lenslet migrates into a database and back with its seqs', async () => {
  const dir = join(root, 'imported');
  await cp(join(ROOT, 'test/fixtures/legacy-workspace/gen-ab'), join(dir, '.lenslet'), {
    recursive: true,
  });
  const imported = await openJsonlStore(join(dir, '.lenslet'), { onWarning: () => {} });
  await imported.close();
  const url = await database();
  // Its log continues the original's event ids (seqs 9–12): the database keeps them.
  const copied = await cli('migrate', '--from', dir, '--to', url);
  expect(copied.code, copied.stderr).toBe(0);
  expect(copied.stdout).toMatch(/copied 4 records \(log .*, seqs 9–12\)/);
  expect((await cli('replay', '--store', url)).stdout).toBe((await cli('replay', dir)).stdout);
  const verify = await cli('replay', '--store', url, '--verify');
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  expect(verify.stdout).toContain('seqs 9–12');

  const store = await openPostgresStore(url, { onWarning: () => {} });
  expect(store.head()).toBe(12);
  expect(store.status()).toMatchObject({ origin: 8, oldest_seq: 1 });
  const next = await store.apply(
    { path: '/animals/cat.jpg' as CanonicalPath, patch: { add_tags: ['after-migrate'] } },
    { actor: 'ana', mutation_id: 'pg-origin-0001', mode: 'patch' },
  );
  expect(next.record?.seq).toBe(13);
  // A resume from before the first seq gets the log from seq 9, nothing invented before it.
  const seqs: number[] = [];
  for await (const { record } of store.replay(3)) seqs.push(record.seq);
  expect(seqs).toEqual([9, 10, 11, 12, 13]);
  await store.close();

  const back = join(root, 'imported-back');
  const returned = await cli('migrate', '--from', url, '--to', back);
  expect(returned.code, returned.stderr).toBe(0);
  expect(returned.stdout).toMatch(/copied 5 records \(log .*, seqs 9–13\)/);
  expect(JSON.parse(await readFile(join(back, '.lenslet/labels.meta.json'), 'utf8'))).toMatchObject(
    {
      first_seq: 9,
    },
  );
  expect((await cli('replay', back)).stdout).toBe((await cli('replay', '--store', url)).stdout);
}, 120_000);

test("after the migration, every replica still answers the original's retried PATCHes from its stored answers", async () => {
  const dir = join(root, 'imported-answers');
  await cp(join(ROOT, 'test/fixtures/legacy-workspace/gen-ab'), join(dir, '.lenslet'), {
    recursive: true,
  });
  await mkdir(join(dir, 'animals'), { recursive: true });
  await copyFile(join(FIXTURE_GALLERY, 'landscape.jpg'), join(dir, 'animals/cat.jpg'));
  // The original kept its answers to recent PATCHes in its snapshot ("mutations").
  const snapshotFile = join(dir, '.lenslet/labels.snapshot.json');
  const original = JSON.parse(await readFile(snapshotFile, 'utf8')) as Record<string, unknown>;
  const payload = {
    path: '/animals/cat.jpg',
    star: 4,
    version: 3,
    accepted_event: { event_id: 12 },
  };
  original.mutations = { 'original-tab-key-0001': { status: 200, payload } };
  await writeFile(snapshotFile, JSON.stringify(original));
  await (await openJsonlStore(join(dir, '.lenslet'), { onWarning: () => {} })).close();
  const url = await database();
  expect((await cli('migrate', '--from', dir, '--to', url)).code).toBe(0);

  const served = await serveGallery(dir, ['--store', url, '--watch', 'off']);
  try {
    const cat = async () => (await fetch(`${served.url}/item?path=/animals/cat.jpg`)).json();
    const before = await cat();
    const retry = await fetch(`${served.url}/item?path=/animals/cat.jpg`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'original-tab-key-0001' },
      body: JSON.stringify({ set_star: 1, base_version: 3 }),
    });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ ...payload, persistence: 'saved' });
    // The stored answer, and nothing applied: the image and the head are as they were.
    expect(await cat()).toEqual(before);
    expect(before).toMatchObject({ seq: 12 });
  } finally {
    await served.stop();
    removeServed(served);
  }
}, 120_000);

test('replay --verify and compact --store work on the database', async () => {
  const url = await database();
  const store = await openPostgresStore(url, { onWarning: () => {} });
  for (let i = 0; i < 20; i++) {
    await store.apply(
      { path: `/r${i % 4}.jpg` as CanonicalPath, patch: { add_tags: [`x${i}`] } },
      { actor: 'bo', mutation_id: `verify-key-${i}`, mode: 'patch' },
    );
  }
  await store.close();
  const compact = await cli('compact', '--store', url);
  expect(compact.code, compact.stderr).toBe(0);
  expect(compact.stdout).toMatch(/compacted postgres:\/\/.*: seqs 1–20/);
  const verify = await cli('replay', '--store', url, '--verify');
  expect(verify.code, verify.stderr).toBe(0);
  expect(verify.stdout).toContain('ok: snapshot at seq 20: 4 items equal the fold');
  expect(verify.stdout).toMatch(/verified postgres:\/\/.*: seqs 1–20, 4 images \(4 labeled\)/);
  // A damaged line is found and named.
  await cluster.psql(
    `UPDATE lenslet_log SET line = replace(line, '"x5"', '"x6"') WHERE seq = 6`,
    url.split('/').at(-1)!,
  );
  const damaged = await cli('replay', '--store', url, '--verify');
  expect(damaged.code).toBe(1);
  expect(damaged.stderr).toMatch(/lenslet_log row 6: .*crc/);
}, 60_000);

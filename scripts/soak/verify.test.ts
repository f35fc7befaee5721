// The soak's final checks must catch what they claim to: a lost acknowledged write, a write
// applied twice, a record nobody sent, a promise the log does not keep, a stream that showed a
// record the log does not hold, and a client whose labels differ from the server's.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalPath } from '@lenslet/core';
import { openJsonlStore } from '@lenslet/store';
import { afterEach, expect, test } from 'vitest';
import { type Ack, Ledger } from './ledger.ts';
import { checkLog, compareState, unexpectedStderr } from './verify.ts';

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

/** A workspace with three records: k1 on /a (tags x), k2 on /b (star 3), k3 on /a (tags x y). */
async function workspace(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'lenslet-soak-verify-'));
  const store = await openJsonlStore(dir, { onWarning: () => {} });
  const write = (path: string, patch: object, key: string) =>
    store.apply(
      { path: path as CanonicalPath, patch, last_writer_wins: true },
      { actor: 'ana', mutation_id: key, mode: 'patch' },
    );
  await write('/a.jpg', { add_tags: ['x'] }, 'key-000001');
  await write('/b.jpg', { set_star: 3 }, 'key-000002');
  await write('/a.jpg', { add_tags: ['y'] }, 'key-000003');
  await store.close();
  return dir;
}

const labels = (over: Partial<Ack['labels']> = {}): Ack['labels'] => ({
  star: null,
  tags: [],
  notes: '',
  metrics: {},
  version: 2,
  ...over,
});

function ledgerWith(acks: Ack[]): Ledger {
  const ledger = new Ledger(() => 0);
  for (const key of ['key-000001', 'key-000002', 'key-000003']) ledger.useKey(key, key);
  ledger.acks.push(...acks);
  return ledger;
}

const ack = (over: Partial<Ack>): Ack => ({
  key: 'key-000001',
  path: '/a.jpg',
  seq: 1,
  labels: labels({ tags: ['x'] }),
  who: 'test',
  at: 0,
  after_retry: false,
  ...over,
});

test('a run whose acknowledgements all match the log passes', async () => {
  const ws = await workspace();
  const ledger = ledgerWith([
    ack({}),
    ack({ key: 'key-000002', path: '/b.jpg', seq: 2, labels: labels({ star: 3 }) }),
    ack({ key: 'key-000003', seq: 3, labels: labels({ tags: ['x', 'y'], version: 3 }) }),
  ]);
  ledger.streamed.set(2, 'key-000002 /b.jpg v2');
  expect(await checkLog(ledger, ws, () => false)).toEqual({ records: 3, head: 3 });
  expect(ledger.violations).toEqual([]);
});

test('an acknowledged seq that holds another write is reported as LOST', async () => {
  const ws = await workspace();
  const ledger = ledgerWith([ack({ key: 'key-000009', seq: 3 }), ack({ seq: 7 })]);
  await checkLog(ledger, ws, () => false);
  expect(ledger.violations.join('\n')).toMatch(/LOST: key-000009 .* that seq is key-000003/);
  expect(ledger.violations.join('\n')).toMatch(/LOST: key-000001 .* no such seq/);
});

test('labels the answer promised but the log does not give are reported', async () => {
  const ws = await workspace();
  const ledger = ledgerWith([ack({ labels: labels({ tags: ['x', 'z'] }) })]);
  await checkLog(ledger, ws, () => false);
  expect(ledger.violations).toHaveLength(1);
  expect(ledger.violations[0]).toMatch(/promised .*"z".* the log gives/);
});

test('records with keys nobody sent, and streamed records the log lacks, are reported', async () => {
  const ws = await workspace();
  const ledger = new Ledger(() => 0);
  ledger.useKey('key-000001', 'k');
  ledger.streamed.set(3, 'key-000003 /b.jpg v9');
  await checkLog(ledger, ws, (record) => record.mutation_id === 'key-000002');
  const all = ledger.violations.join('\n');
  expect(all).toMatch(/phantom record at seq 3: key key-000003/);
  expect(all).not.toMatch(/key-000002/);
  expect(all).toMatch(/stream showed seq 3 as "key-000003 \/b.jpg v9"/);
});

test('a key reused for a different request is a soak bug, reported at once', () => {
  const ledger = new Ledger(() => 0);
  ledger.useKey('key-1', 'PATCH a');
  ledger.useKey('key-1', 'PATCH a');
  expect(ledger.violations).toEqual([]);
  ledger.useKey('key-1', 'PATCH b');
  expect(ledger.violations[0]).toMatch(/reused/);
});

test('a client state is compared label by label; cleared labels equal no labels', () => {
  const server = { seq: 3, items: { '/a.jpg': labels({ tags: ['x'] }) } };
  const same = new Map([
    ['/a.jpg', labels({ tags: ['x'] })],
    ['/b.jpg', labels({ version: 4 })],
  ]);
  expect(compareState('c', same, server)).toEqual([]);
  const stale = new Map([['/a.jpg', labels({ tags: ['x'], version: 1 })]]);
  expect(compareState('c', stale, server)[0]).toMatch(/c: \/a.jpg is .* the server has/);
  expect(compareState('c', new Map(), server)[0]).toMatch(/has no labels for \/a.jpg/);
  const extra = new Map([...same, ['/c.jpg', labels({ star: 1 })]]);
  expect(compareState('c', extra, server)[0]).toMatch(/for \/c.jpg, which the server has not/);
});

test('server stderr: crash-recovery warnings pass, anything else is reported', () => {
  const stderr = [
    'LENSLET_TEST_FAULTS=1: disk fault injection is on (for tests only).',
    'lenslet: warning: taking over the workspace lock of pid 12 on vm, which is no longer running',
    'lenslet: internal error: TypeError: x is undefined',
    '    at f (file.js:1:1)',
  ].join('\n');
  expect(unexpectedStderr(stderr)).toEqual([
    'lenslet: internal error: TypeError: x is undefined',
    '    at f (file.js:1:1)',
  ]);
});

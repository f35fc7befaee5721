import { type CanonicalPath, LensletError, type Patch, type Sidecar } from '@lenslet/core';
import { signal } from '@preact/signals';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { type BulkResult, NetworkError, type PatchAnswer } from '../api.ts';
import { createMemoryOutbox, type OutboxEntry } from '../outbox.ts';
import { createItemStore } from './items-model.ts';
import { ADOPT_INTERVAL_MS, createWriter } from './writer-model.ts';

const A = '/a.jpg' as CanonicalPath;
const B = '/b.jpg' as CanonicalPath;
const C = '/c.jpg' as CanonicalPath;

type Call = {
  kind: 'patch' | 'bulk';
  path?: string;
  items?: readonly { path: string; base_version: number }[];
  patch: Patch;
  key: string;
  base?: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
};

const sidecar = (path: string, version: number, over: Partial<Sidecar> = {}): Sidecar => ({
  v: 1,
  path: path as CanonicalPath,
  seq: version,
  star: null,
  tags: [],
  notes: '',
  metrics: {},
  version,
  updated_at: '2026-01-01T00:00:00.000Z',
  updated_by: 'me',
  ...over,
});
const ok = (path: string, version: number, over: Partial<Sidecar> = {}): PatchAnswer => ({
  sidecar: sidecar(path, version, over),
  mutation_id: 'k',
  accepted_event: { seq: version, boot_epoch: 'e0', event_id: version },
  persistence: 'saved',
});
const httpError = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  new LensletError(code as 'not_found', `${code} happened`, { details: { status, ...extra } });

let counter = 0;
function setup(initial: OutboxEntry[] = [], clientId = 'tab-1') {
  const calls: Call[] = [];
  const reports: string[] = [];
  const api = {
    patch: (path: string, patch: Patch, key: string, base: number) =>
      new Promise<PatchAnswer>((resolve, reject) => {
        calls.push({ kind: 'patch', path, patch, key, base, resolve: resolve as never, reject });
      }),
    bulk: (items: readonly { path: string; base_version: number }[], patch: Patch, key: string) =>
      new Promise<{ seq: number; results: BulkResult[] }>((resolve, reject) => {
        calls.push({ kind: 'bulk', items, patch, key, resolve: resolve as never, reject });
      }),
  };
  const store = createMemoryOutbox(initial);
  const items = createItemStore();
  for (const path of [A, B, C]) items.putSidecar(sidecar(path, 4));
  const logId = signal<string | null>('LOG');
  const writer = createWriter({
    api,
    store,
    items,
    clientId,
    logId: () => logId.value,
    newKey: () => `key-${++counter}`,
    random: () => 1,
    report: (what, error) => void reports.push(`${what}: ${(error as Error).message}`),
  });
  return { calls, store, items, logId, writer, reports };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('an edit is stored as sent before its request leaves, and removed on 2xx', async () => {
  const { calls, store, items, writer } = setup();
  writer.edit([A], { set_star: 3 });
  expect(writer.status.value).toBe('saving');
  await vi.advanceTimersByTimeAsync(0);
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatchObject({ path: A, patch: { set_star: 3 }, base: 4 });
  const stored = [...store.entries.values()];
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ sent: true, key: calls[0]!.key, log_id: 'LOG' });
  calls[0]!.resolve(ok(A, 5, { star: 3 }));
  await vi.advanceTimersByTimeAsync(0);
  expect(store.entries.size).toBe(0);
  expect(items.get(A)!.labels.value).toMatchObject({ star: 3, version: 5 });
  expect(writer.status.value).toBe('saved');
});

test('edits made before sending merge into one entry with a new key', async () => {
  const { calls, logId, store, writer } = setup();
  logId.value = null;
  const [first] = writer.edit([A], { set_star: 3 });
  await vi.advanceTimersByTimeAsync(0);
  const keyBefore = [...store.entries.values()][0]!.key;
  const [second] = writer.edit([A], { add_tags: ['cat'] });
  await vi.advanceTimersByTimeAsync(0);
  expect(second).toBe(first);
  expect(store.entries.size).toBe(1);
  const entry = [...store.entries.values()][0]!;
  expect(entry.patch).toEqual({ set_star: 3, add_tags: ['cat'] });
  expect(entry.key).not.toBe(keyBefore);
  expect(calls).toHaveLength(0);
  logId.value = 'LOG';
  writer.pump();
  await vi.advanceTimersByTimeAsync(0);
  expect(calls).toHaveLength(1);
  expect(calls[0]!.key).toBe(entry.key);
});

test('a tag added then removed before sending leaves nothing to send', async () => {
  const { calls, logId, store, writer } = setup();
  logId.value = null;
  writer.edit([A], { add_tags: ['cat'] });
  writer.edit([A], { remove_tags: ['cat'] });
  await vi.advanceTimersByTimeAsync(0);
  expect(store.entries.size).toBe(0);
  logId.value = 'LOG';
  writer.pump();
  await vi.advanceTimersByTimeAsync(0);
  expect(calls).toHaveLength(0);
});

test('one write per item in flight; the next goes on top of the answered version', async () => {
  const { calls, store, writer } = setup();
  writer.edit([A], { set_star: 3 });
  await vi.advanceTimersByTimeAsync(0);
  const sentEntry = [...store.entries.values()][0]!;
  writer.edit([A], { set_star: 5 });
  writer.edit([A], { set_notes: 'sharp' });
  await vi.advanceTimersByTimeAsync(0);
  expect(calls).toHaveLength(1);
  // The sent entry is untouched; the later edits merged into a second entry.
  expect(store.entries.get(sentEntry.id)).toEqual(sentEntry);
  expect(store.entries.size).toBe(2);
  calls[0]!.resolve(ok(A, 9));
  await vi.advanceTimersByTimeAsync(0);
  expect(calls).toHaveLength(2);
  expect(calls[1]).toMatchObject({ path: A, patch: { set_star: 5, set_notes: 'sharp' }, base: 9 });
});

test('network errors and 503 retry with the same key and body', async () => {
  const { calls, writer } = setup();
  writer.edit([A], { set_star: 2 });
  await vi.advanceTimersByTimeAsync(0);
  calls[0]!.reject(new NetworkError('down'));
  await vi.advanceTimersByTimeAsync(0);
  expect(writer.status.value).toBe('retrying');
  await vi.advanceTimersByTimeAsync(1_000);
  expect(calls).toHaveLength(2);
  calls[1]!.reject(httpError(503, 'persistence_unavailable'));
  await vi.advanceTimersByTimeAsync(2_000);
  expect(calls).toHaveLength(3);
  for (const c of calls) {
    expect(c.key).toBe(calls[0]!.key);
    expect(c.patch).toEqual({ set_star: 2 });
    expect(c.base).toBe(4);
  }
  calls[2]!.resolve(ok(A, 5));
  await vi.advanceTimersByTimeAsync(0);
  expect(writer.status.value).toBe('saved');
});

test('retryNow skips the backoff wait', async () => {
  const { calls, writer } = setup();
  writer.edit([A], { set_star: 2 });
  await vi.advanceTimersByTimeAsync(0);
  calls[0]!.reject(new NetworkError('down'));
  await vi.advanceTimersByTimeAsync(0);
  writer.retryNow();
  await vi.advanceTimersByTimeAsync(0);
  expect(calls).toHaveLength(2);
});

test('404 and 400 end the entry visibly until dismissed', async () => {
  const { calls, store, writer } = setup();
  writer.edit([A], { set_star: 2 });
  writer.edit([B], { set_star: 2 });
  await vi.advanceTimersByTimeAsync(0);
  calls[0]!.reject(httpError(404, 'not_found'));
  calls[1]!.reject(httpError(400, 'invalid_patch'));
  await vi.advanceTimersByTimeAsync(0);
  expect(writer.failed.value.map((e) => e.error?.code).sort()).toEqual([
    'invalid_patch',
    'not_found',
  ]);
  expect(writer.pending.value).toHaveLength(0);
  expect(store.entries.size).toBe(2);
  await vi.advanceTimersByTimeAsync(60_000);
  expect(calls).toHaveLength(2);
  writer.dismiss(writer.failed.value.map((e) => e.id));
  await vi.advanceTimersByTimeAsync(0);
  expect(store.entries.size).toBe(0);
});

test('409 keeps mine and theirs; "apply mine again" re-sends on their version', async () => {
  const { calls, items, store, writer } = setup();
  writer.edit([A], { set_star: 2 });
  await vi.advanceTimersByTimeAsync(0);
  const theirs = sidecar(A, 7, { star: 5, updated_by: 'ana' });
  calls[0]!.reject(httpError(409, 'version_conflict', { current: theirs }));
  await vi.advanceTimersByTimeAsync(0);
  const [c] = writer.conflicts.value;
  expect(c).toMatchObject({ state: 'conflict', patch: { set_star: 2 }, current: theirs });
  expect(items.get(A)!.labels.value.star).toBe(5);
  expect(store.entries.get(c!.id)?.state).toBe('conflict');
  writer.resolve(c!.id, 'mine');
  await vi.advanceTimersByTimeAsync(0);
  expect(calls).toHaveLength(2);
  expect(calls[1]).toMatchObject({ patch: { set_star: 2 }, base: 7 });
  expect(calls[1]!.key).not.toBe(calls[0]!.key);
  expect(writer.conflicts.value).toHaveLength(0);
});

test('"keep theirs" drops mine', async () => {
  const { calls, store, writer } = setup();
  writer.edit([A], { set_star: 2 });
  await vi.advanceTimersByTimeAsync(0);
  calls[0]!.reject(httpError(409, 'version_conflict', { current: sidecar(A, 7) }));
  await vi.advanceTimersByTimeAsync(0);
  writer.resolve(writer.conflicts.value[0]!.id, 'theirs');
  await vi.advanceTimersByTimeAsync(0);
  expect(store.entries.size).toBe(0);
  expect(calls).toHaveLength(1);
});

test('an edit on several items goes out as one bulk request under one key', async () => {
  const { calls, writer } = setup();
  writer.edit([A, B, C], { add_tags: ['keep'] });
  await vi.advanceTimersByTimeAsync(0);
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatchObject({
    kind: 'bulk',
    patch: { add_tags: ['keep'] },
    items: [
      { path: A, base_version: 4 },
      { path: B, base_version: 4 },
      { path: C, base_version: 4 },
    ],
  });
  calls[0]!.resolve({
    seq: 9,
    results: [
      { path: A, status: 'applied', sidecar: sidecar(A, 5, { tags: ['keep'] }) },
      { path: B, status: 'conflict', current: sidecar(B, 6) },
      { path: C, status: 'failed', error: { error: 'not_found', message: 'gone' } },
    ],
  });
  await vi.advanceTimersByTimeAsync(0);
  expect(writer.pending.value).toHaveLength(0);
  expect(writer.conflicts.value.map((e) => e.path)).toEqual([B]);
  expect(writer.failed.value.map((e) => e.path)).toEqual([C]);
});

test('entries of another gallery are never sent and are listed as foreign', async () => {
  const other: OutboxEntry = {
    id: 'x1',
    log_id: 'OTHER',
    path: A,
    key: 'x1-key-123',
    patch: { set_star: 1 },
    base: 1,
    bulk: false,
    sent: false,
    owner: 'tab-1',
    created_at: 1,
    state: 'pending',
  };
  const { calls, writer } = setup([other]);
  await writer.init();
  await vi.advanceTimersByTimeAsync(0);
  expect(calls).toHaveLength(0);
  expect(writer.foreign.value.map((e) => e.id)).toEqual(['x1']);
  expect(writer.pending.value).toHaveLength(0);
});

test('after a reload, a sent but unanswered entry is re-sent identically by the next tab', async () => {
  const first = setup([], 'tab-old');
  first.writer.edit([A], { set_notes: 'keep me' });
  await vi.advanceTimersByTimeAsync(0);
  const sent = first.calls[0]!;
  // The tab dies here. A new page load (new client id) adopts the entry.
  const second = setup([...first.store.entries.values()], 'tab-new');
  await second.writer.init();
  await vi.advanceTimersByTimeAsync(0);
  expect(second.calls).toHaveLength(1);
  expect(second.calls[0]).toMatchObject({ key: sent.key, patch: sent.patch, base: sent.base });
});

test('entries of a tab that is still open are left to it', async () => {
  const first = setup([], 'tab-alive');
  first.writer.edit([A], { set_star: 1 });
  await vi.advanceTimersByTimeAsync(0);
  const second = setup([...first.store.entries.values()], 'tab-2');
  const writer = createWriter({
    api: { patch: () => Promise.reject(new Error('must not send')), bulk: () => Promise.reject() },
    store: second.store,
    items: second.items,
    clientId: 'tab-2',
    logId: () => 'LOG',
    newKey: () => 'k-new-12345',
    ownerAlive: async (owner) => owner === 'tab-alive',
    report: () => {},
  });
  await writer.init();
  await vi.advanceTimersByTimeAsync(0);
  expect(writer.pending.value).toHaveLength(0);
});

test('settled resolves with the ack for undo', async () => {
  const { calls, writer } = setup();
  const [id] = writer.edit([A], { set_star: 1 });
  const settled = writer.settled(id!);
  await vi.advanceTimersByTimeAsync(0);
  calls[0]!.resolve(ok(A, 5));
  expect(await settled).toEqual({ path: A, seq: 5, version: 5 });
});

test('an entry the browser store refuses is reported and not sent until a write of it succeeds', async () => {
  const { calls, store, writer, reports } = setup();
  const put = store.put;
  let refuse = 2;
  store.put = async (entry) => {
    if (refuse-- > 0) throw new DOMException('disk full', 'QuotaExceededError');
    await put(entry);
  };
  writer.edit([A], { set_star: 2 });
  await vi.advanceTimersByTimeAsync(0);
  expect(calls).toHaveLength(0);
  // Both writes (the edit, then the entry marked sent) were refused, and each was reported.
  expect(reports).toEqual([
    'Keeping your edit in this browser: disk full',
    'Keeping your edit in this browser: disk full',
  ]);
  expect(writer.status.value).toBe('retrying');
  await vi.advanceTimersByTimeAsync(1_000);
  expect(calls).toHaveLength(1);
  expect(store.entries.size).toBe(1);
  expect([...store.entries.values()][0]).toMatchObject({ sent: true, key: calls[0]!.key });
});

test('start looks for entries of closed tabs every 30 s; dispose stops every timer', async () => {
  const { store, writer, calls } = setup();
  writer.start();
  await store.put({
    id: 'orphan',
    log_id: 'LOG',
    path: B,
    key: 'orphan-key-12345',
    patch: { set_star: 5 },
    base: 4,
    bulk: false,
    sent: false,
    owner: 'closed-tab',
    created_at: 1,
    state: 'pending',
  });
  await vi.advanceTimersByTimeAsync(ADOPT_INTERVAL_MS);
  expect(calls.map((c) => c.key)).toEqual(['orphan-key-12345']);
  calls[0]!.reject(new NetworkError('down'));
  await vi.advanceTimersByTimeAsync(0);
  expect(vi.getTimerCount()).toBe(2);
  writer.dispose();
  expect(vi.getTimerCount()).toBe(0);
});

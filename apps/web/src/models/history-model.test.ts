import { type CanonicalPath, changedFields, LensletError } from '@lenslet/core';
import { signal } from '@preact/signals';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { HistoryEntry } from '../api.ts';
import { createHistoryModel, HISTORY_DELAY_MS } from './history-model.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Two items: A and B. */
const [A, B] = ['/a.jpg', '/b.jpg'] as [CanonicalPath, CanonicalPath];
const entry = (seq: number, changes: HistoryEntry['changes']): HistoryEntry => ({
  seq,
  at: '2026-01-01T00:00:00.000Z',
  actor: 'ana',
  version: seq + 1,
  mutation_id: `m${seq}`,
  changed_fields: changedFields(changes),
  changes,
});
/** What `api.history` rejects with when an entry does not match the protocol. */
const malformed = new LensletError(
  'internal',
  'unexpected answer from the server to GET /item/history: records.0.changes.0.kind: invalid input',
  { details: { status: 200 } },
);

function setup(answer: (path: string) => HistoryEntry[] | Error) {
  const asked: string[] = [];
  const reports: string[] = [];
  const focus = signal<CanonicalPath | null>(null);
  const history = createHistoryModel({
    api: {
      history: async (path: string) => {
        asked.push(path);
        const a = answer(path);
        if (a instanceof Error) throw a;
        return a;
      },
    },
    focus,
    report: (what, e) => void reports.push(`${what}: ${(e as Error).message}`),
  });
  return { history, focus, asked, reports };
}

test('the focused item loads once the focus settles; another item shows Loading', async () => {
  const { history, focus, asked } = setup(() => [
    entry(1, [{ kind: 'star_set', star: 3, from: null }]),
  ]);
  focus.value = A;
  focus.value = B;
  await vi.advanceTimersByTimeAsync(HISTORY_DELAY_MS);
  expect(asked).toEqual([B]);
  expect(history.of(B)?.map((r) => r.changes)).toEqual([
    [{ kind: 'star_set', star: 3, from: null }],
  ]);
  expect(history.of(A)).toBeNull();
});

test('a failed load and a malformed entry are reported, never shown as history', async () => {
  const { history, focus, reports } = setup((path) =>
    path === A ? new LensletError('internal', 'boom', { details: { status: 500 } }) : malformed,
  );
  focus.value = A;
  await vi.advanceTimersByTimeAsync(HISTORY_DELAY_MS);
  focus.value = B;
  await vi.advanceTimersByTimeAsync(HISTORY_DELAY_MS);
  expect(history.of(A)).toBeNull();
  expect(history.of(B)).toBeNull();
  expect(reports).toEqual([
    'Loading the history: boom',
    'Loading the history: unexpected answer from the server to GET /item/history: records.0.changes.0.kind: invalid input',
  ]);
});

test('dispose stops following the focus', async () => {
  const { history, focus, asked } = setup(() => []);
  focus.value = A;
  history.dispose();
  expect(vi.getTimerCount()).toBe(0);
  focus.value = B;
  await vi.advanceTimersByTimeAsync(HISTORY_DELAY_MS);
  expect(asked).toEqual([]);
});

import { type CanonicalPath, LensletError, type Patch } from '@lenslet/core';
import { expect, test } from 'vitest';
import type { HistoryEntry } from '../api.ts';
import { itemUpdate } from '../test-support.ts';
import { createUndo } from './undo-model.ts';
import type { Ack } from './writer-model.ts';

const A = '/a.jpg' as CanonicalPath;

function setup(history: () => Promise<HistoryEntry[]>) {
  const edits: [CanonicalPath, Patch, number][] = [];
  const reports: string[] = [];
  const acks = new Map<string, Ack | null>([['e1', { path: A, seq: 7, version: 3 }]]);
  const undo = createUndo({
    settled: async (id) => acks.get(id) ?? null,
    api: { history },
    edit: (path, patch, base) => void edits.push([path, patch, base]),
    report: (what, e) => void reports.push(`${what}: ${(e as Error).message}`),
  });
  return { undo, edits, reports };
}

test('a record seen on the live stream is reverted without asking the server', async () => {
  const { undo, edits } = setup(() => Promise.reject(new Error('must not ask')));
  undo.remember(
    itemUpdate({ seq: 7, path: A, version: 3, changes: [{ kind: 'tags_added', tags: ['x'] }] }),
  );
  undo.push(['e1']);
  expect(await undo.undo()).toBe(1);
  expect(edits).toEqual([[A, { remove_tags: ['x'] }, 3]]);
  expect(undo.available.value).toBe(0);
});

test('otherwise the record comes from /item/history', async () => {
  const { undo, edits } = setup(async () => [
    {
      seq: 7,
      at: '2026-01-01T00:00:00.000Z',
      actor: 'me',
      version: 3,
      mutation_id: 'k',
      changed_fields: ['star'],
      changes: [{ kind: 'star_set', star: 4, from: 2 }],
    },
  ]);
  undo.push(['e1']);
  expect(await undo.undo()).toBe(1);
  expect(edits).toEqual([[A, { set_star: 2 }, 3]]);
});

test('a history that cannot be loaded is reported and nothing is sent', async () => {
  const { undo, edits, reports } = setup(() =>
    Promise.reject(new LensletError('internal', 'boom', { details: { status: 500 } })),
  );
  undo.push(['e1']);
  expect(await undo.undo()).toBe(0);
  expect(edits).toEqual([]);
  expect(reports).toEqual(['Finding the change to undo: boom']);
});

import type { ItemUpdate } from '@lenslet/core';
import { EMPTY_LABELS, MAX_TAGS } from '@lenslet/core';
import { expect, test } from 'vitest';
import { toLabels } from '../api.ts';
import { applyUpdate, newer, toFacts, withPending } from './apply-update.ts';

const update = (over: Partial<ItemUpdate>): ItemUpdate => ({
  seq: 10,
  path: '/a.jpg' as ItemUpdate['path'],
  star: 4,
  tags: ['cat'],
  notes: '',
  metrics: {},
  version: 2,
  updated_at: '2026-01-01T00:00:00.000Z',
  updated_by: 'ana',
  changed_fields: ['star'],
  changes: [{ kind: 'star_set', star: 4, from: null }],
  mutation_id: 'm1',
  accepted_event: { boot_epoch: 'e0', event_id: 10 },
  persistence: 'saved',
  durable_watermark: { boot_epoch: 'e0', event_id: 10 },
  ...over,
});

test('the next version is applied with evolve (changes only)', () => {
  const local = { ...EMPTY_LABELS, tags: ['mine'] };
  // The event's full tags say ['cat'], but only its changes are applied on local = v - 1.
  const next = applyUpdate(local, update({}));
  expect(next?.star).toBe(4);
  expect(next?.tags).toEqual(['mine']);
  expect(next?.version).toBe(2);
  expect(next?.updated_by).toBe('ana');
});

test('an update at or below the local version is ignored', () => {
  const local = toLabels({ star: 5, tags: [], notes: '', version: 3 });
  expect(applyUpdate(local, update({ version: 3 }))).toBeNull();
  expect(applyUpdate(local, update({ version: 2 }))).toBeNull();
});

test('after a gap the event labels are taken whole', () => {
  const local = toLabels({ star: 1, tags: ['old'], notes: 'n', version: 2 });
  const next = applyUpdate(local, update({ version: 5, tags: ['cat'], notes: 'theirs' }));
  expect(next).toMatchObject({ star: 4, tags: ['cat'], notes: 'theirs', version: 5 });
});

test('newer keeps the higher version', () => {
  const a = toLabels({ star: 1, tags: [], notes: '', version: 4 });
  const b = toLabels({ star: 2, tags: [], notes: '', version: 3 });
  expect(newer(a, b)).toBe(a);
  expect(newer(b, a)).toBe(a);
  expect(newer(undefined, b)).toBe(b);
});

test('pending edits show on top of server labels, version unchanged', () => {
  const server = toLabels({ star: 1, tags: ['a'], notes: '', version: 7 });
  const shown = withPending(server, [{ set_star: 3 }, { add_tags: ['b'], remove_tags: ['a'] }]);
  expect(shown).toMatchObject({ star: 3, tags: ['b'], version: 7 });
  expect(withPending(server, [])).toBe(server);
});

test('pending edits are decided and evolved in order, like the server would', () => {
  const server = { ...toLabels({ star: null, tags: ['a', 'b'], notes: 'x', version: 3 }) };
  const shown = withPending(server, [
    { set_tags: ['c'] },
    { add_tags: ['d', 'c'], remove_tags: ['c'] },
    { set_notes: '' },
  ]);
  // set_tags, then (same patch) remove before add: 'c' goes, then 'd' and 'c' are added.
  expect(shown.tags).toEqual(['d', 'c']);
  expect(shown.notes).toBe('');
  expect(shown.field_versions).toBe(server.field_versions);
  expect(shown.updated_by).toBe(server.updated_by);
});

test('a pending edit that changes nothing returns the server labels themselves', () => {
  const server = toLabels({ star: 2, tags: ['a'], notes: '', version: 3 });
  expect(withPending(server, [{ set_star: 2 }, { add_tags: ['a'] }, { remove_tags: ['z'] }])).toBe(
    server,
  );
});

test('a pending edit over the tag limit is not previewed (the server refuses it too)', () => {
  const server = toLabels({ star: null, tags: [], notes: '', version: 1 });
  const tooMany = Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`);
  const shown = withPending(server, [{ add_tags: tooMany }, { set_star: 1 }]);
  expect(shown).toMatchObject({ star: 1, tags: [] });
});

test('toFacts carries exactly what evolve reads: no forged record fields', () => {
  expect(toFacts(update({}))).toEqual({
    version: 2,
    at: '2026-01-01T00:00:00.000Z',
    actor: 'ana',
    changes: [{ kind: 'star_set', star: 4, from: null }],
  });
});

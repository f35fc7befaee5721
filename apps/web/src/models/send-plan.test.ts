import type { CanonicalPath } from '@lenslet/core';
import { expect, test } from 'vitest';
import type { OutboxEntry } from '../outbox.ts';
import { outboxEntry } from '../test-support.ts';
import { planSends, type SendState } from './send-plan.ts';

/** An entry: id, path letter, creation time; `bulk` entries share `key`. */
const entry = (id: string, path: string, created_at: number, over: Partial<OutboxEntry> = {}) =>
  outboxEntry(id, { path: `/${path}.jpg` as CanonicalPath, key: id, created_at, ...over });
const bulk = (id: string, path: string, created_at: number, key: string) =>
  entry(id, path, created_at, { bulk: true, key });

type Row = {
  name: string;
  entries: OutboxEntry[];
  state?: Partial<Omit<SendState, 'entries'>>;
  requests: string[][];
  wait: number | null;
};

const rows: Row[] = [
  { name: 'nothing to send', entries: [], requests: [], wait: null },
  {
    name: 'one entry per item, the oldest first',
    entries: [entry('a2', 'a', 2), entry('a1', 'a', 1), entry('b1', 'b', 3)],
    requests: [['a1'], ['b1']],
    wait: null,
  },
  {
    name: 'an item with a request in flight sends nothing (not even its next entry)',
    entries: [entry('a1', 'a', 1), entry('a2', 'a', 2), entry('b1', 'b', 3)],
    state: { inflight: new Set(['/a.jpg' as CanonicalPath]) },
    requests: [['b1']],
    wait: null,
  },
  {
    name: 'entries this tab may not send are not candidates (the next one of the item is)',
    entries: [entry('a1', 'a', 1, { state: 'conflict' }), entry('a2', 'a', 2)],
    requests: [['a2']],
    wait: null,
  },
  {
    name: 'an entry waiting for its retry is skipped; wait says when the first is due',
    entries: [entry('a1', 'a', 1), entry('b1', 'b', 2), entry('c1', 'c', 3)],
    state: {
      retryAt: new Map([
        ['a1', 1_500],
        ['b1', 1_200],
        ['c1', 1_000],
      ]),
    },
    requests: [['c1']],
    wait: 200,
  },
  {
    name: 'bulk entries under one key are one request, after the singles',
    entries: [bulk('x1', 'a', 1, 'K'), bulk('x2', 'b', 1, 'K'), entry('c1', 'c', 2)],
    requests: [['c1'], ['x1', 'x2']],
    wait: null,
  },
  {
    name: 'a bulk group holds at most maxBulk items; the rest waits for a later round',
    entries: [bulk('x1', 'a', 1, 'K'), bulk('x2', 'b', 2, 'K'), bulk('x3', 'c', 3, 'K')],
    state: { maxBulk: 2 },
    requests: [['x1', 'x2']],
    wait: null,
  },
  {
    name: 'no more requests than free slots; a group counts once',
    entries: [
      bulk('x1', 'a', 1, 'K'),
      bulk('x2', 'b', 2, 'K'),
      entry('c1', 'c', 3),
      entry('d1', 'd', 4),
    ],
    state: { slots: 2 },
    requests: [['c1'], ['x1', 'x2']],
    wait: null,
  },
  {
    name: 'with every slot taken nothing starts',
    entries: [entry('a1', 'a', 1)],
    state: { slots: 0 },
    requests: [],
    wait: null,
  },
];

test.each(rows)('$name', ({ entries, state, requests, wait }) => {
  const plan = planSends({
    entries,
    sendable: (e) => e.state === 'pending',
    inflight: new Set(),
    retryAt: new Map(),
    now: 1_000,
    slots: 4,
    maxBulk: 2_000,
    ...state,
  });
  expect(plan.requests.map((r) => r.map((e) => e.id))).toEqual(requests);
  expect(plan.wait).toBe(wait);
});

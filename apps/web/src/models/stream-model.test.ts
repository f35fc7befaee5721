import { type CanonicalPath, type ItemUpdate, ROOT_PATH } from '@lenslet/core';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { FeedEvent } from '../stream.ts';
import { createFakeFeed, itemUpdate, persistenceEvent } from '../test-support.ts';
import { POLL_INTERVAL_MS } from './connection-model.ts';
import { createStreamModel, routeFeedEvent, type StreamHandlers } from './stream-model.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function recorder() {
  const seen: [string, unknown][] = [];
  const on = {} as Record<keyof StreamHandlers, (data?: unknown) => void>;
  for (const kind of [
    'hello',
    'item',
    'presence',
    'persistence',
    'folder',
    'resync',
    'views',
    'table',
    'unauthorized',
  ] as const) {
    on[kind] = (data) => void seen.push([kind, data]);
  }
  return { seen, on: on as unknown as StreamHandlers };
}

const update: ItemUpdate = itemUpdate();
const tableUpdate = {
  prefix: ROOT_PATH,
  generation: 2,
  state: 'error' as const,
  rows: 300,
  added: 0,
  removed: 0,
  changed: 0,
  error: 'gallery.parquet: not a Parquet file',
};
const events: [FeedEvent, string, unknown][] = [
  [{ kind: 'hello', data: { seq: 3, log_id: 'L' } }, 'hello', { seq: 3, log_id: 'L' }],
  [{ kind: 'item', data: update }, 'item', update],
  [
    { kind: 'presence', data: { gallery_id: ROOT_PATH, viewing: 2, editing: 1 } },
    'presence',
    { gallery_id: ROOT_PATH, viewing: 2, editing: 1 },
  ],
  [
    { kind: 'persistence', data: persistenceEvent('failing', 'EIO') },
    'persistence',
    persistenceEvent('failing', 'EIO'),
  ],
  [
    { kind: 'folder', data: { path: '/a' as CanonicalPath, added: 1, removed: 0, changed: 0 } },
    'folder',
    { path: '/a', added: 1, removed: 0, changed: 0 },
  ],
  [
    { kind: 'resync', data: { reason: 'too_far_behind', seq: 9 } },
    'resync',
    { reason: 'too_far_behind', seq: 9 },
  ],
  [{ kind: 'views', data: { revision: 1 } }, 'views', undefined],
  [{ kind: 'table', data: tableUpdate }, 'table', tableUpdate],
];

test.each(events)('%j goes to its handler', (event, kind, data) => {
  const { seen, on } = recorder();
  routeFeedEvent(event, on);
  expect(seen).toEqual([[kind, data]]);
});

test('the feed drives the handlers and the connection label until dispose', () => {
  const feed = createFakeFeed();
  const { seen, on } = recorder();
  const reported: string[] = [];
  let polls = 0;
  const stream = createStreamModel({
    feed,
    on,
    report: (what, error) => void reported.push(`${what}: ${(error as Error).message}`),
    poll: async () => {
      polls += 1;
    },
  });
  feed.emit({ kind: 'views', data: { revision: 1 } });
  feed.status({ state: 'reconnecting', failures: 3, leader: true });
  expect(stream.label.value).toBe('offline');
  vi.advanceTimersByTime(POLL_INTERVAL_MS);
  expect(polls).toBe(1);
  feed.status({ state: 'unauthorized', failures: 0, leader: true });
  expect(seen.map(([k]) => k)).toEqual(['views', 'unauthorized']);
  feed.fail(new Error('item-updated: star: expected number'));
  expect(reported).toEqual(['Applying a live update: item-updated: star: expected number']);
  feed.status({ state: 'reconnecting', failures: 3, leader: true });
  stream.dispose();
  expect(vi.getTimerCount()).toBe(0);
  feed.emit({ kind: 'views', data: { revision: 1 } });
  feed.fail(new Error('late'));
  expect(seen).toHaveLength(2);
  expect(reported).toHaveLength(1);
});

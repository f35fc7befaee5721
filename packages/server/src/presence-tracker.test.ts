import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { p } from './live-test-kit.ts';
import type { PresenceCounts } from './presence.ts';
import { PRESENCE_BROADCAST_DELAY_MS, PresenceService } from './presence-tracker.ts';

let published: PresenceCounts[];
let service: PresenceService;
const A = p('/animals');
const B = p('/birds');

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  published = [];
  service = new PresenceService({ publish: (c) => published.push(c) });
});

afterEach(() => {
  service.close();
  vi.useRealTimers();
});

test('joins are published once, coalesced, after the broadcast delay', () => {
  service.join({ gallery_id: A, client_id: 'c1' });
  service.join({ gallery_id: A, client_id: 'c2' });
  expect(published).toEqual([]);
  vi.advanceTimersByTime(PRESENCE_BROADCAST_DELAY_MS);
  expect(published).toEqual([{ gallery_id: A, viewing: 2, editing: 0 }]);
});

test('a heartbeat that changes no count publishes nothing', () => {
  const { lease_id } = service.join({ gallery_id: A, client_id: 'c1' });
  vi.advanceTimersByTime(100);
  published.length = 0;
  service.join({ gallery_id: A, client_id: 'c1', lease_id });
  vi.advanceTimersByTime(100);
  expect(published).toEqual([]);
});

test('a client that stops heartbeating disappears after the TTL plus at most one prune interval', () => {
  service.join({ gallery_id: A, client_id: 'c1' });
  const keep = service.join({ gallery_id: A, client_id: 'c2' });
  vi.advanceTimersByTime(100);
  published.length = 0;
  // c2 heartbeats every 30 s, c1 never again.
  for (let t = 30_000; t <= 90_000; t += 30_000) {
    vi.setSystemTime(t);
    service.join({ gallery_id: A, client_id: 'c2', lease_id: keep.lease_id });
  }
  vi.advanceTimersByTime(0);
  vi.setSystemTime(75_000);
  vi.advanceTimersByTime(5_000 + PRESENCE_BROADCAST_DELAY_MS);
  expect(published).toEqual([{ gallery_id: A, viewing: 1, editing: 0 }]);
  expect(service.diagnostics()).toMatchObject({ active_clients: 1, stale_pruned_total: 1 });
});

test('an accepted write marks editing for 30 s, then the prune turns it back to viewing', () => {
  service.join({ gallery_id: A, client_id: 'c1' });
  vi.advanceTimersByTime(100);
  service.touchEdit('c1');
  vi.advanceTimersByTime(PRESENCE_BROADCAST_DELAY_MS);
  expect(published.at(-1)).toEqual({ gallery_id: A, viewing: 0, editing: 1 });
  vi.advanceTimersByTime(35_000);
  expect(published.at(-1)).toEqual({ gallery_id: A, viewing: 1, editing: 0 });
});

test('move publishes both galleries; leave publishes the emptied one with zero counts', () => {
  const { lease_id } = service.join({ gallery_id: A, client_id: 'c1' });
  vi.advanceTimersByTime(100);
  published.length = 0;
  const moved = service.move({ client_id: 'c1', lease_id, from_gallery_id: A, to_gallery_id: B });
  expect(moved).toEqual({
    client_id: 'c1',
    lease_id,
    from_scope: { gallery_id: A, viewing: 0, editing: 0 },
    to_scope: { gallery_id: B, viewing: 1, editing: 0 },
  });
  vi.advanceTimersByTime(100);
  expect(published).toEqual([
    { gallery_id: A, viewing: 0, editing: 0 },
    { gallery_id: B, viewing: 1, editing: 0 },
  ]);
  published.length = 0;
  expect(service.leave({ client_id: 'c1', lease_id, gallery_id: B })).toMatchObject({
    removed: true,
    viewing: 0,
  });
  vi.advanceTimersByTime(100);
  expect(published).toEqual([{ gallery_id: B, viewing: 0, editing: 0 }]);
  expect(service.snapshot()).toEqual([]);
});

test('diagnostics count refusals', () => {
  service.join({ gallery_id: A, client_id: 'c1' });
  expect(() => service.join({ gallery_id: A, client_id: 'c1', lease_id: 'bad' })).toThrow();
  expect(service.diagnostics()).toMatchObject({
    view_ttl_seconds: 75,
    edit_ttl_seconds: 30,
    prune_interval_seconds: 5,
    invalid_lease_total: 1,
    active_scopes: 1,
  });
});

test('a full table is pruned before a new client is refused', () => {
  service.close();
  service = new PresenceService({
    publish: () => {},
    limits: { view_ttl_ms: 75_000, edit_ttl_ms: 30_000, max_sessions: 1 },
  });
  service.join({ gallery_id: A, client_id: 'c1' });
  expect(() => service.join({ gallery_id: A, client_id: 'c2' })).toThrow(
    /too many presence sessions/,
  );
  vi.setSystemTime(80_000);
  expect(service.join({ gallery_id: A, client_id: 'c2' })).toMatchObject({ viewing: 1 });
  expect(service.diagnostics()).toMatchObject({ rate_limited_total: 1 });
});

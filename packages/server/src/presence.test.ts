import { isLensletError, type LensletError } from '@lenslet/core';
import { expect, test } from 'vitest';
import { p } from './live-test-kit.ts';
import { DEFAULT_PRESENCE_LIMITS, PresenceTable } from './presence.ts';

let leases = 0;
const newLease = () => `lease-${++leases}`;
const A = p('/animals');
const B = p('/birds');

function refusal(run: () => unknown): LensletError {
  try {
    run();
  } catch (error) {
    if (isLensletError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

test('a new client gets a lease and counts as viewing', () => {
  const table = new PresenceTable();
  const { session, changed } = table.join({ gallery_id: A, client_id: 'c1' }, 0, newLease);
  expect(session.lease_id).toMatch(/^lease-/);
  expect(changed).toEqual([A]);
  expect(table.counts(A, 0)).toEqual({ gallery_id: A, viewing: 1, editing: 0 });
});

test('a heartbeat with the lease keeps it; a wrong lease is invalid_lease', () => {
  const table = new PresenceTable();
  const { session } = table.join({ gallery_id: A, client_id: 'c1' }, 0, newLease);
  const again = table.join(
    { gallery_id: A, client_id: 'c1', lease_id: session.lease_id },
    10,
    newLease,
  );
  expect(again.session.lease_id).toBe(session.lease_id);
  const error = refusal(() =>
    table.join({ gallery_id: A, client_id: 'c1', lease_id: 'stolen' }, 20, newLease),
  );
  expect(error.code).toBe('invalid_lease');
  expect(error.details).toEqual({ gallery_id: A, client_id: 'c1' });
});

test('a join without a lease replaces the old session (a reloaded page)', () => {
  const table = new PresenceTable();
  const first = table.join({ gallery_id: A, client_id: 'c1' }, 0, newLease).session;
  const second = table.join({ gallery_id: B, client_id: 'c1' }, 5, newLease);
  expect(second.session.lease_id).not.toBe(first.lease_id);
  expect(second.changed.sort()).toEqual([A, B]);
  expect(table.counts(A, 5).viewing).toBe(0);
  expect(table.counts(B, 5).viewing).toBe(1);
});

test('a heartbeat after the server forgot the session issues a fresh lease', () => {
  const table = new PresenceTable();
  const { session } = table.join({ gallery_id: A, client_id: 'c9', lease_id: 'old' }, 0, newLease);
  expect(session.lease_id).not.toBe('old');
});

test('move needs the lease and the current gallery', () => {
  const table = new PresenceTable();
  const { session } = table.join({ gallery_id: A, client_id: 'c1' }, 0, newLease);
  const lease = { client_id: 'c1', lease_id: session.lease_id };
  expect(
    refusal(() => table.move({ ...lease, lease_id: 'x', from_gallery_id: A, to_gallery_id: B }, 1))
      .code,
  ).toBe('invalid_lease');
  const mismatch = refusal(() =>
    table.move({ ...lease, from_gallery_id: p('/cats'), to_gallery_id: B }, 1),
  );
  expect(mismatch.code).toBe('scope_mismatch');
  expect(mismatch.details).toEqual({
    requested_gallery_id: '/cats',
    actual_gallery_id: A,
    client_id: 'c1',
  });
  const moved = table.move({ ...lease, from_gallery_id: A, to_gallery_id: B }, 2);
  expect(moved.changed).toEqual([A, B]);
  expect(table.counts(B, 2).viewing).toBe(1);
  // Already there: just a refresh, whatever `from` says.
  expect(table.move({ ...lease, from_gallery_id: p('/x'), to_gallery_id: B }, 3).changed).toEqual([
    B,
  ]);
});

test('move of a client without a session is invalid_lease', () => {
  const table = new PresenceTable();
  expect(
    refusal(() =>
      table.move({ client_id: 'nobody', lease_id: 'l', from_gallery_id: A, to_gallery_id: B }, 0),
    ).code,
  ).toBe('invalid_lease');
});

test('leave is idempotent and checks lease and gallery', () => {
  const table = new PresenceTable();
  const { session } = table.join({ gallery_id: A, client_id: 'c1' }, 0, newLease);
  const lease = { client_id: 'c1', lease_id: session.lease_id };
  expect(refusal(() => table.leave({ ...lease, lease_id: 'x', gallery_id: A })).code).toBe(
    'invalid_lease',
  );
  expect(refusal(() => table.leave({ ...lease, gallery_id: B })).code).toBe('scope_mismatch');
  expect(table.leave({ ...lease, gallery_id: A })).toEqual({ removed: true, changed: [A] });
  expect(table.leave({ ...lease, gallery_id: A })).toEqual({ removed: false, changed: [] });
  expect(table.size).toBe(0);
});

test('editing = wrote within the edit TTL; viewing = the other live sessions', () => {
  const table = new PresenceTable();
  table.join({ gallery_id: A, client_id: 'c1' }, 0, newLease);
  table.join({ gallery_id: A, client_id: 'c2' }, 0, newLease);
  expect(table.touchEdit('c1', 1_000)).toBe(A);
  expect(table.counts(A, 1_000)).toEqual({ gallery_id: A, viewing: 1, editing: 1 });
  const editEnds = 1_000 + DEFAULT_PRESENCE_LIMITS.edit_ttl_ms;
  expect(table.counts(A, editEnds)).toMatchObject({ viewing: 1, editing: 1 });
  expect(table.counts(A, editEnds + 1)).toMatchObject({ viewing: 2, editing: 0 });
});

test('a write from a client without a session changes nothing', () => {
  const table = new PresenceTable();
  expect(table.touchEdit('ghost', 0)).toBeNull();
  expect(table.size).toBe(0);
});

test('prune drops sessions past the view TTL and expires editing flags', () => {
  const table = new PresenceTable();
  table.join({ gallery_id: A, client_id: 'old' }, 0, newLease);
  table.join({ gallery_id: B, client_id: 'writer' }, 40_000, newLease);
  table.touchEdit('writer', 40_000);
  const ttl = DEFAULT_PRESENCE_LIMITS.view_ttl_ms;
  // 35 s after the write: the editing flag expired (B changes), `old` is exactly at the TTL.
  expect(table.prune(ttl)).toEqual({ removed: 0, changed: [B] });
  expect(table.prune(ttl + 1)).toEqual({ removed: 1, changed: [A] });
  expect(table.galleries()).toEqual([B]);
  expect(table.counts(B, ttl + 1)).toMatchObject({ viewing: 1, editing: 0 });
});

test('sessions are capped: a new client beyond the cap is rate_limited, known ones still heartbeat', () => {
  const table = new PresenceTable({ ...DEFAULT_PRESENCE_LIMITS, max_sessions: 2 });
  const s1 = table.join({ gallery_id: A, client_id: 'c1' }, 0, newLease).session;
  table.join({ gallery_id: A, client_id: 'c2' }, 0, newLease);
  expect(refusal(() => table.join({ gallery_id: A, client_id: 'c3' }, 0, newLease)).code).toBe(
    'rate_limited',
  );
  expect(() =>
    table.join({ gallery_id: A, client_id: 'c1', lease_id: s1.lease_id }, 1, newLease),
  ).not.toThrow();
});

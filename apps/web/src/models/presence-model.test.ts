import { LensletError } from '@lenslet/core';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createPresence, PRESENCE_HEARTBEAT_MS } from './presence-model.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const calls: { op: string; body: Record<string, unknown>; keepalive: boolean }[] = [];
  let leases = 0;
  let rejectNext = false;
  const api = {
    presence: async (
      op: 'join' | 'move' | 'leave',
      body: Record<string, unknown>,
      keepalive = false,
    ) => {
      calls.push({ op, body, keepalive });
      if (rejectNext) {
        rejectNext = false;
        throw new LensletError('invalid_lease', 'no', { details: { status: 409 } });
      }
      if (op === 'move') {
        return {
          lease_id: body.lease_id,
          from_scope: { gallery_id: body.from_gallery_id, viewing: 0, editing: 0 },
          to_scope: { gallery_id: body.to_gallery_id, viewing: 2, editing: 1 },
        };
      }
      return {
        gallery_id: body.gallery_id,
        lease_id: body.lease_id ?? `L${++leases}`,
        viewing: 1,
        editing: 0,
      };
    },
  };
  const p = createPresence({ api: api as never, clientId: 'tab', report: () => {} });
  return { p, calls, rejectOnce: () => (rejectNext = true) };
}

test('join, then move with the lease, and counts per folder', async () => {
  const { p, calls } = setup();
  await p.enter('/a');
  await p.enter('/b');
  expect(calls.map((c) => c.op)).toEqual(['join', 'move']);
  expect(calls[1]!.body).toMatchObject({
    from_gallery_id: '/a',
    to_gallery_id: '/b',
    lease_id: 'L1',
  });
  expect(p.counts.value.get('/b')).toEqual({ viewing: 2, editing: 1 });
  expect(p.counts.value.get('/a')).toEqual({ viewing: 0, editing: 0 });
  p.apply({ gallery_id: '/b', viewing: 3, editing: 0 });
  expect(p.counts.value.get('/b')).toEqual({ viewing: 3, editing: 0 });
});

test('heartbeat every 30 s with the lease; a lost lease joins afresh', async () => {
  const { p, calls, rejectOnce } = setup();
  await p.enter('/a');
  p.start();
  await vi.advanceTimersByTimeAsync(PRESENCE_HEARTBEAT_MS);
  expect(calls.at(-1)).toMatchObject({ op: 'join', body: { gallery_id: '/a', lease_id: 'L1' } });
  rejectOnce();
  await vi.advanceTimersByTimeAsync(PRESENCE_HEARTBEAT_MS);
  expect(calls.at(-1)!.body.lease_id).toBeUndefined();
});

test('leave on page hide does not wait for an answer', async () => {
  const { p, calls } = setup();
  await p.enter('/a');
  p.leave();
  expect(calls.at(-1)).toMatchObject({
    op: 'leave',
    keepalive: true,
    body: { gallery_id: '/a', lease_id: 'L1' },
  });
});

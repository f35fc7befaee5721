import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { p } from './live-test-kit.ts';
import type { PresenceCounts, PresenceSession } from './presence.ts';
import {
  EDIT_REPUBLISH_MS,
  type PresenceSharing,
  type PresenceSharingListener,
  type SessionChange,
} from './presence-sharing.ts';
import { PRESENCE_BROADCAST_DELAY_MS, PresenceService } from './presence-tracker.ts';

/** A fake of the shared table + channel: what one replica publishes reaches the others. */
class Bus {
  readonly table = new Map<string, PresenceSession>();
  readonly published: SessionChange[][] = [];
  readonly #members = new Set<PresenceSharingListener>();

  member(): PresenceSharing {
    let me: PresenceSharingListener | null = null;
    return {
      publish: (changes) => {
        this.published.push([...changes]);
        for (const c of changes) {
          if (c.session) this.table.set(c.client_id, c.session);
          else this.table.delete(c.client_id);
        }
        for (const other of this.#members) if (other !== me) other.changes(changes);
      },
      subscribe: (listener) => {
        me = listener;
        this.#members.add(listener);
        return () => this.#members.delete(listener);
      },
    };
  }

  /** Every member reloads the table (a reconnect). */
  reload(sessions = [...this.table.values()]): void {
    for (const member of this.#members) member.reload(sessions);
  }
}

const A = p('/animals');
let bus: Bus;
let services: PresenceService[];
let published: PresenceCounts[][];

function replica(): PresenceService {
  const mine: PresenceCounts[] = [];
  published.push(mine);
  const service = new PresenceService({
    publish: (c) => mine.push(c),
    sharing: bus.member(),
  });
  services.push(service);
  return service;
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  bus = new Bus();
  services = [];
  published = [];
});

afterEach(() => {
  for (const s of services) s.close();
  vi.useRealTimers();
});

test('counts are global: a join on one replica is counted and broadcast on the others', () => {
  const one = replica();
  const two = replica();
  one.join({ gallery_id: A, client_id: 'c1' });
  two.join({ gallery_id: A, client_id: 'c2' });
  vi.advanceTimersByTime(PRESENCE_BROADCAST_DELAY_MS);
  for (const service of [one, two]) {
    expect(service.snapshot()).toEqual([{ gallery_id: A, viewing: 2, editing: 0 }]);
  }
  expect(published[0]!.at(-1)).toEqual({ gallery_id: A, viewing: 2, editing: 0 });
  expect(published[1]!.at(-1)).toEqual({ gallery_id: A, viewing: 2, editing: 0 });
});

test('a heartbeat with the lease another replica issued is accepted; a leave there ends it everywhere', () => {
  const one = replica();
  const two = replica();
  const joined = one.join({ gallery_id: A, client_id: 'c1' });
  vi.setSystemTime(30_000);
  const beat = two.join({ gallery_id: A, client_id: 'c1', lease_id: joined.lease_id });
  expect(beat.lease_id).toBe(joined.lease_id);
  expect(() =>
    two.join({ gallery_id: A, client_id: 'c1', lease_id: 'not-the-lease' }),
  ).toThrowError(expect.objectContaining({ code: 'invalid_lease' }));
  // Past the first join's TTL, but within the heartbeat's: still here on both.
  vi.setSystemTime(90_000);
  one.prune();
  expect(one.snapshot()).toEqual([{ gallery_id: A, viewing: 1, editing: 0 }]);
  two.leave({ gallery_id: A, client_id: 'c1', lease_id: joined.lease_id });
  expect(one.snapshot()).toEqual([]);
  expect(bus.table.size).toBe(0);
});

test('a write on any replica shows the writer editing everywhere, without a message per write', () => {
  const one = replica();
  const two = replica();
  one.join({ gallery_id: A, client_id: 'c1' });
  const before = bus.published.length;
  for (let i = 0; i < 20; i++) {
    vi.setSystemTime(100 + i * 10);
    two.touchEdit('c1');
  }
  expect(bus.published.length - before).toBe(1);
  expect(one.snapshot()).toEqual([{ gallery_id: A, viewing: 0, editing: 1 }]);
  // Still writing after EDIT_REPUBLISH_MS: shared again, so the others keep it editing.
  vi.setSystemTime(100 + EDIT_REPUBLISH_MS + 1);
  two.touchEdit('c1');
  expect(bus.published.length - before).toBe(2);
  vi.setSystemTime(100 + EDIT_REPUBLISH_MS + 29_000);
  one.prune();
  expect(one.snapshot()).toEqual([{ gallery_id: A, viewing: 0, editing: 1 }]);
});

test('after a reload from an emptied table, each replica publishes the sessions it knows again', () => {
  const one = replica();
  const two = replica();
  one.join({ gallery_id: A, client_id: 'c1' });
  two.join({ gallery_id: A, client_id: 'c2' });
  bus.table.clear(); // the database restarted: the unlogged table is empty
  bus.reload([]);
  expect([...bus.table.keys()].sort()).toEqual(['c1', 'c2']);
  // A new replica starts from the table and counts everyone.
  const three = replica();
  bus.reload();
  expect(three.snapshot()).toEqual([{ gallery_id: A, viewing: 2, editing: 0 }]);
});

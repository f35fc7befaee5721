/**
 * Which outbox entries the writer sends now, as requests. Pure: the writer passes its state in.
 *
 * - Only the oldest sendable entry of each item is a candidate (one write per item in flight);
 *   an item with a request in flight sends nothing.
 * - An entry waiting for its retry time is skipped; `wait` says when the first one is due.
 * - Each single entry is one PATCH; bulk entries sharing a key are one POST /items/patch of at
 *   most `maxBulk` items (the rest go in a later round).
 * - At most `slots` requests start; singles go first, in creation order, then bulk groups.
 */
import type { CanonicalPath } from '@lenslet/core';
import type { OutboxEntry } from '../outbox.ts';

export type SendState = {
  /** Every entry of the outbox, any order. */
  readonly entries: Iterable<OutboxEntry>;
  /** May this tab send the entry now (its own, pending, bound to the connected log)? */
  readonly sendable: (entry: OutboxEntry) => boolean;
  /** Items with a request in flight. */
  readonly inflight: ReadonlySet<CanonicalPath>;
  /** Entry id → time before which it must not be retried. */
  readonly retryAt: ReadonlyMap<string, number>;
  readonly now: number;
  /** Requests that may start now. */
  readonly slots: number;
  readonly maxBulk: number;
};

export type SendPlan = {
  /** Each element is one request: a single entry, or the entries of one bulk key. */
  readonly requests: readonly (readonly OutboxEntry[])[];
  /** Milliseconds until the earliest skipped retry is due, or null when none waits. */
  readonly wait: number | null;
};

/** Plan one round of sends. */
export function planSends(state: SendState): SendPlan {
  let wait = Number.POSITIVE_INFINITY;
  const heads: OutboxEntry[] = [];
  const seen = new Set<CanonicalPath>();
  const sorted = [...state.entries].sort((a, b) => a.created_at - b.created_at);
  for (const e of sorted) {
    if (!state.sendable(e) || seen.has(e.path)) continue;
    seen.add(e.path);
    if (state.inflight.has(e.path)) continue;
    const at = state.retryAt.get(e.id) ?? 0;
    if (at > state.now) {
      wait = Math.min(wait, at - state.now);
      continue;
    }
    heads.push(e);
  }
  const singles: OutboxEntry[][] = [];
  const groups = new Map<string, OutboxEntry[]>();
  let used = 0;
  for (const e of heads) {
    if (used >= state.slots) break;
    if (!e.bulk) {
      singles.push([e]);
      used += 1;
      continue;
    }
    const group = groups.get(e.key);
    if (!group) {
      groups.set(e.key, [e]);
      used += 1;
    } else if (group.length < state.maxBulk) group.push(e);
  }
  return {
    requests: [...singles, ...groups.values()],
    wait: wait === Number.POSITIVE_INFINITY ? null : wait,
  };
}

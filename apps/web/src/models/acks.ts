/**
 * Answers of outbox entries that left the outbox, kept (bounded) for undo, and promises waiting
 * for them. An entry's ack is its path, the seq of the record it produced (null when the server
 * did not say) and the version it made; null when it produced nothing (failed, conflict, merged
 * away).
 */
import type { CanonicalPath } from '@lenslet/core';

/** Answers remembered for undo. */
export const MAX_ACKS = 5_000;

export type Ack = {
  readonly path: CanonicalPath;
  readonly seq: number | null;
  readonly version: number;
};

export function createAcks() {
  const acks = new Map<string, Ack | null>();
  const waiters = new Map<string, ((ack: Ack | null) => void)[]>();
  return {
    /** Entry `id` left the outbox with this answer. */
    settle(id: string, ack: Ack | null): void {
      acks.set(id, ack);
      if (acks.size > MAX_ACKS) acks.delete(acks.keys().next().value!);
      for (const fn of waiters.get(id) ?? []) fn(ack);
      waiters.delete(id);
    },
    /** The ack of `id`: at once if known, null if it is not waiting, else when it settles. */
    wait(id: string, pending: boolean): Promise<Ack | null> {
      if (acks.has(id)) return Promise.resolve(acks.get(id)!);
      if (!pending) return Promise.resolve(null);
      return new Promise((resolve) => {
        const list = waiters.get(id) ?? [];
        list.push(resolve);
        waiters.set(id, list);
      });
    },
  };
}

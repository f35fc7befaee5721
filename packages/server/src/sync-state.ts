/**
 * The durability report of this server in the original Lenslet's words (core's sync-state.ts):
 * `GET /sync/state`, `/health`'s `labels.persistence`, the `persistence` frames, and the
 * `{boot_epoch, event_id}` identities of write answers and `item-updated` frames. Built from the
 * store's status; the only thing kept here is how often the disk failed (`failure_total`, fed
 * by live.ts).
 *
 * The boot epoch is the store's `log_id`. The original starts a new epoch with each process
 * because its writes are acknowledged before they are flushed: a tab must recheck what it waited
 * for when the process changes. Lenslet acknowledges only durable writes, so its event ids stay
 * valid across restarts and change meaning only when the log is replaced (a repair renumbers
 * seqs, and gets a new log_id) — and a retried Idempotency-Key answers identically after a
 * restart too.
 */
import type { EventIdentity, PersistenceEvent, SyncState } from '@lenslet/core';
import type { LabelStore, Persistence, StoreStatus } from '@lenslet/store';

/** The original's sync state for a store status (pure). */
export function toSyncState(
  status: StoreStatus,
  boot_epoch: string,
  failure_total: number,
): SyncState {
  const memory = status.durability === 'memory';
  return {
    enabled: !memory,
    boot_epoch,
    state: status.state === 'failing' ? 'failed' : memory ? 'disabled' : 'saved',
    durable_watermark: { boot_epoch, event_id: status.seq },
    pending_count: 0,
    pending_bytes: 0,
    max_pending_count: 0,
    max_pending_bytes: 0,
    oldest_pending_age_ms: null,
    error: status.error,
    failure_total,
    deadline_breach_total: 0,
  };
}

export class SyncReporter {
  readonly boot_epoch: string;
  readonly #store: LabelStore;
  #failures = 0;

  constructor(store: LabelStore) {
    this.boot_epoch = store.log_id;
    this.#store = store;
  }

  /** A change of the store's status (live.ts): counts the failures. */
  noteStatus(status: StoreStatus): void {
    if (status.state === 'failing') this.#failures += 1;
  }

  /** `GET /sync/state` now. */
  state(status: StoreStatus = this.#store.status()): SyncState {
    return toSyncState(status, this.boot_epoch, this.#failures);
  }

  /** The `persistence` frame: the sync state beside Lenslet's own reading of the status. */
  frame(status: StoreStatus = this.#store.status()): PersistenceEvent {
    return {
      ...this.state(status),
      labels_state: status.state,
      since: status.since,
      integrity: status.integrity,
    };
  }

  /** The identity of record `seq` (an accepted event, or a watermark at `seq`). */
  event(seq: number): EventIdentity {
    return { boot_epoch: this.boot_epoch, event_id: seq };
  }

  /** Where acknowledged writes go: `saved`, `relaxed` or `memory`. */
  persistence(): Persistence {
    const durability = this.#store.status().durability;
    return durability === 'fsync' ? 'saved' : durability;
  }
}

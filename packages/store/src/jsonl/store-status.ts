/**
 * The JSONL store's health as `/health` and the live stream report it: `saved` (fsync) or
 * `relaxed`, and `failing` from a refused write or sync until a commit (or, in relaxed mode, a
 * sync) succeeds again; beside it the log's integrity (what recovery cut, what the background
 * history check found). Listeners hear every change of state and of integrity, not every change
 * of error text.
 */
import type { Integrity } from '@lenslet/core';
import type { StoreStatus } from '../port/label-store.ts';

/** The numbers a status reports beside its state, read when the status is built. */
export type StatusFacts = Pick<
  StoreStatus,
  'seq' | 'snapshot_seq' | 'log_bytes' | 'oldest_seq' | 'origin'
>;

export class StatusTracker {
  readonly #durability: 'fsync' | 'relaxed';
  readonly #clock: () => Date;
  readonly #facts: () => StatusFacts;
  readonly #listeners = new Set<(status: StoreStatus) => void>();
  #state: StoreStatus['state'];
  #error: string | null = null;
  #since: string;
  #lastFsyncMs: number | null = null;
  #integrity: Integrity;

  constructor(
    durability: 'fsync' | 'relaxed',
    clock: () => Date,
    facts: () => StatusFacts,
    integrity: Integrity,
  ) {
    this.#durability = durability;
    this.#clock = clock;
    this.#facts = facts;
    this.#integrity = integrity;
    this.#state = this.#healthy();
    this.#since = clock().toISOString();
  }

  /** A group was committed: the disk takes writes again. */
  committed(): void {
    if (this.#state === 'failing') this.#set(this.#healthy(), null);
  }

  /** A sync succeeded; in relaxed mode that alone means the disk is back. */
  synced(ms: number): void {
    this.#lastFsyncMs = ms;
    if (this.#state === 'failing' && this.#durability === 'relaxed') {
      this.#set(this.#healthy(), null);
    }
  }

  /** The disk refused a write or a sync. */
  failed(error: unknown): void {
    const code = (error as { code?: string })?.code;
    this.#set('failing', `${code ?? 'error'}: ${(error as Error)?.message ?? String(error)}`);
  }

  /** The background history check moved on (pending → checking → ok / damaged / failed). */
  history(history: Integrity['history']): void {
    const now = this.#integrity.history;
    if (now.state === history.state && now.problem === history.problem) return;
    this.#integrity = { ...this.#integrity, history };
    const status = this.status();
    for (const listener of this.#listeners) listener(status);
  }

  /** Called whenever the state or the integrity changes. Returns unsubscribe. */
  onStatus(listener: (status: StoreStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  status(): StoreStatus {
    const facts = this.#facts();
    return {
      durability: this.#durability,
      state: this.#state,
      error: this.#error,
      since: this.#since,
      seq: facts.seq,
      snapshot_seq: facts.snapshot_seq,
      log_bytes: facts.log_bytes,
      last_fsync_ms: this.#lastFsyncMs,
      oldest_seq: facts.oldest_seq,
      ...(facts.origin ? { origin: facts.origin } : {}),
      integrity: this.#integrity,
    };
  }

  #healthy(): StoreStatus['state'] {
    return this.#durability === 'relaxed' ? 'relaxed' : 'saved';
  }

  #set(state: StoreStatus['state'], error: string | null): void {
    if (state === this.#state && error === this.#error) return;
    const changed = state !== this.#state;
    this.#state = state;
    this.#error = error;
    if (!changed) return;
    this.#since = this.#clock().toISOString();
    const status = this.status();
    for (const listener of this.#listeners) listener(status);
  }
}

/**
 * The label store port. Every implementation (memory, JSONL, later PostgreSQL) passes the same
 * contract suite (`describeStoreContract` from `@lenslet/store/testing`).
 *
 * Invariants:
 * - One write entry point (`applyBatch`, and `apply` for one item): each entry is decided against
 *   the *pending head* (durable state plus records queued for the disk) and its seq reserved in the
 *   same tick, with no `await` between, so two patches on one image never pass against one state.
 * - seqs are gapless from 1 (or from `origin + 1`, see `StoreStatus.origin`). A promise resolves only once its records are durable (fsync mode);
 *   reads, `replay`, `history` and subscribers see only durable records.
 * - A record is only ever written for a patch that changes something; no-ops record nothing.
 * - Idempotency: (mutation_id, path) with the same fingerprint answers the original result again
 *   (also after a restart); with a different fingerprint → `idempotency_key_reused`.
 */
import type {
  CanonicalPath,
  Integrity,
  LabelRecord,
  LabelState,
  Labels,
  LensletError,
  Patch,
  PersistenceState,
} from '@lenslet/core';

/** How acknowledged writes reach the disk. */
export type Durability = 'fsync' | 'relaxed' | 'memory';

/** What an answer says about where the change is: on disk, about to be, or memory only. */
export type Persistence = 'saved' | 'relaxed' | 'memory';

/**
 * Request kinds; part of the fingerprint, so a key reused across kinds is detected. The order is
 * how the idempotency table numbers them.
 */
export const WRITE_MODES = ['patch', 'put', 'bulk', 'metrics'] as const;
export type WriteMode = (typeof WRITE_MODES)[number];

export type WriteMeta = {
  /** Display name that becomes `updated_by` (already validated). */
  readonly actor: string;
  /** The Idempotency-Key (or a generated id for routes without one). */
  readonly mutation_id: string;
  readonly mode: WriteMode;
};

export type WriteEntry = {
  readonly path: CanonicalPath;
  readonly patch: Patch;
  /** base_version / If-Match, already reconciled. */
  readonly expected_version?: number;
  /** `set_*` without a version overwrite (bulk, PUT without If-Match). */
  readonly last_writer_wins?: boolean;
};

/** The answer for one entry. */
export type ApplyResult = {
  readonly path: CanonicalPath;
  /** Labels after this write (for a replayed answer: as of the original record). */
  readonly labels: Labels;
  /** The durable record, or null when the patch changed nothing. */
  readonly record: LabelRecord | null;
  readonly rebased: boolean;
  /** True when this is an earlier answer returned again for a retried idempotency key. */
  readonly replayed: boolean;
  /** Log head this answer reflects (the record's seq, or the durable head for a no-op). */
  readonly seq: number;
  readonly persistence: Persistence;
};

/** Per-entry outcome of a batch: a result, or the error for that entry alone. */
export type BatchOutcome =
  | { readonly ok: true; readonly result: ApplyResult }
  | { readonly ok: false; readonly path: CanonicalPath; readonly error: LensletError };

/** A durable record together with the labels it produced (what the live stream sends). */
export type CommittedRecord = { readonly record: LabelRecord; readonly labels: Labels };

export type StoreStatus = {
  readonly durability: Durability;
  /** saved | relaxed | memory, or failing while the disk refuses writes. */
  readonly state: PersistenceState;
  /** Why: the disk's error while failing; in memory mode, why labels are not saved; else null. */
  readonly error: string | null;
  /** When `state` last changed (ISO). */
  readonly since: string;
  readonly seq: number;
  readonly snapshot_seq: number;
  readonly log_bytes: number;
  readonly last_fsync_ms: number | null;
  /** Oldest seq that `replay` can still return; 1 when the whole history is kept. */
  readonly oldest_seq: number;
  /**
   * The seq the log starts after, over the empty state: 0, or past the original Lenslet's event
   * ids in a workspace imported from it (its open tabs resume from those ids). `replay` from a
   * point before it returns the log from its first record. Absent means 0.
   */
  readonly origin?: number;
  /**
   * What start-up recovery cut (an interrupted, never-acknowledged write) and what the background
   * check of the history a snapshot covers found (core's protocol/integrity.ts).
   */
  readonly integrity: Integrity;
};

/** Integrity of a store that has nothing to recover and no old history to check. */
export const NOTHING_TO_CHECK: Integrity = {
  recovered: null,
  history: { state: 'ok', through_seq: 0, problem: null },
};

export type HistoryQuery = { readonly limit?: number; readonly before?: number };

export type CompactionReport = {
  readonly from_seq: number;
  readonly to_seq: number;
  readonly bytes_before: number;
  readonly bytes_after: number;
  readonly archive: string | null;
  readonly duration_ms: number;
  readonly longest_stall_ms: number;
};

export interface LabelStore {
  /** Identifies this workspace's log; stable across restarts, new when the log is replaced. */
  readonly log_id: string;
  /** Durable head seq (0 before any record). */
  head(): number;
  /** Durable labels of one image (EMPTY_LABELS when it has no record). */
  get(path: CanonicalPath): Labels;
  /** Every image with a durable record (a live view: do not mutate, do not hold across awaits). */
  items(): ReadonlyMap<CanonicalPath, Labels>;
  /** Apply one patch; resolves once durable. Throws LensletError (conflict, reused key, 503 …). */
  apply(entry: WriteEntry, meta: WriteMeta): Promise<ApplyResult>;
  /**
   * Apply many entries under one mutation_id (dedup per (mutation_id, path)); each entry gets its
   * own record and version. Per-entry domain errors come back as outcomes; a disk failure rejects.
   */
  applyBatch(entries: readonly WriteEntry[], meta: WriteMeta): Promise<BatchOutcome[]>;
  /** Durable records with after < seq ≤ until, in order, with the labels each produced. */
  replay(after: number, until?: number): AsyncIterable<CommittedRecord>;
  /** One image's records, newest first (`before`: only seq < before). */
  history(path: CanonicalPath, query?: HistoryQuery): Promise<LabelRecord[]>;
  /** The state as of `seq` (≤ head): the same fold `lenslet replay --until` uses. */
  stateAt(seq: number): Promise<LabelState>;
  /** Called with each durable batch, in seq order. Returns unsubscribe. */
  subscribe(listener: (batch: readonly CommittedRecord[]) => void): () => void;
  /** Called whenever `status().state` changes. Returns unsubscribe. */
  onStatus(listener: (status: StoreStatus) => void): () => void;
  status(): StoreStatus;
  /** Rotate, archive and snapshot (JSONL store); a no-op report for the memory store. */
  compact(): Promise<CompactionReport>;
  /** Stop accepting writes, finish in-flight syncs, snapshot if cheap, release the lock. */
  close(): Promise<void>;
}

/**
 * The in-memory store: same contract as the JSONL store, nothing on disk. Used for `--no-write`
 * and for a workspace that cannot be written (answers say `persistence: "memory"`), and as the
 * reference implementation in the contract suite.
 */
import { randomUUID } from 'node:crypto';
import {
  type CanonicalPath,
  EMPTY_LABELS,
  type LabelRecord,
  type LabelState,
  type Labels,
  LensletError,
  project,
} from '@lenslet/core';
import { IdempotencyIndex } from '../index/idempotency.ts';
import type {
  BatchOutcome,
  CommittedRecord,
  CompactionReport,
  HistoryQuery,
  LabelStore,
  StoreStatus,
  WriteEntry,
  WriteMeta,
} from '../port/label-store.ts';
import { NOTHING_TO_CHECK } from '../port/label-store.ts';
import { applyOne, toOutcomes } from '../write/outcomes.ts';
import { WriteHead } from '../write/write-head.ts';

export type MemoryStoreOptions = {
  readonly clock?: () => Date;
  /** Why labels live only in memory (e.g. "the server was started with --no-write"): the status's `error`. */
  readonly reason?: string;
};

/** Open an empty in-memory store. */
export function openMemoryStore(options: MemoryStoreOptions = {}): LabelStore {
  return new MemoryStore(options.clock ?? (() => new Date()), options.reason ?? null);
}

class MemoryStore implements LabelStore {
  readonly log_id = `mem-${randomUUID()}`;
  readonly #clock: () => Date;
  readonly #items = new Map<CanonicalPath, Labels>();
  readonly #log: CommittedRecord[] = [];
  readonly #byPath = new Map<CanonicalPath, LabelRecord[]>();
  readonly #idempotency = new IdempotencyIndex();
  readonly #head: WriteHead;
  readonly #listeners = new Set<(batch: readonly CommittedRecord[]) => void>();
  readonly #since: string;
  readonly #reason: string | null;
  #closed = false;

  constructor(clock: () => Date, reason: string | null) {
    this.#clock = clock;
    this.#reason = reason;
    this.#since = clock().toISOString();
    this.#head = new WriteHead(
      {
        get: (path) => this.get(path),
        head: () => this.head(),
        lastAt: () => this.#log.at(-1)?.record.at ?? null,
      },
      this.#idempotency,
    );
  }

  head(): number {
    return this.#log.length;
  }

  get(path: CanonicalPath): Labels {
    return this.#items.get(path) ?? EMPTY_LABELS;
  }

  items(): ReadonlyMap<CanonicalPath, Labels> {
    return this.#items;
  }

  apply(entry: WriteEntry, meta: WriteMeta) {
    return applyOne(this, entry, meta);
  }

  async applyBatch(entries: readonly WriteEntry[], meta: WriteMeta): Promise<BatchOutcome[]> {
    if (this.#closed) throw new LensletError('shutting_down', 'the server is shutting down');
    const planned = this.#head.plan(entries, meta, this.#clock());
    // "Durable" one microtask later, in plan order, like a group commit.
    await Promise.resolve();
    const batch: CommittedRecord[] = [];
    for (const plan of planned) {
      if (plan.kind !== 'record') continue;
      if (plan.record.seq !== this.#log.length + batch.length + 1) {
        throw new Error(`memory store: seq ${plan.record.seq} committed out of order`);
      }
      batch.push({ record: plan.record, labels: plan.labels });
    }
    this.#commit(batch);
    return toOutcomes(planned, {
      head: this.head(),
      persistence: 'memory',
      labelsAfter: async (path, seq) => this.#labelsAfter(path, seq),
      current: (path) => this.get(path),
    });
  }

  #commit(batch: readonly CommittedRecord[]) {
    if (batch.length === 0) return;
    for (const committed of batch) {
      const { record, labels } = committed;
      this.#items.set(record.path, labels);
      this.#log.push(committed);
      const list = this.#byPath.get(record.path);
      if (list) list.push(record);
      else this.#byPath.set(record.path, [record]);
    }
    this.#head.committed(this.head());
    for (const listener of this.#listeners) listener(batch);
  }

  /** Labels of `path` right after record `seq`, folded from its own records. */
  #labelsAfter(path: CanonicalPath, seq: number) {
    const records = (this.#byPath.get(path) ?? []).filter((record) => record.seq <= seq);
    return { labels: project(records).items.get(path) ?? EMPTY_LABELS, base: records.at(-1)?.base };
  }

  async *replay(after: number, until = Number.POSITIVE_INFINITY): AsyncIterable<CommittedRecord> {
    const end = Math.min(until, this.head());
    for (let seq = after + 1; seq <= end; seq++) yield this.#log[seq - 1]!;
  }

  async history(path: CanonicalPath, query: HistoryQuery = {}): Promise<LabelRecord[]> {
    const before = query.before ?? Number.POSITIVE_INFINITY;
    const list = (this.#byPath.get(path) ?? []).filter((r) => r.seq < before).reverse();
    return query.limit === undefined ? list : list.slice(0, query.limit);
  }

  async stateAt(seq: number): Promise<LabelState> {
    return project(
      this.#log.slice(0, Math.max(0, Math.min(seq, this.head()))).map((c) => c.record),
    );
  }

  subscribe(listener: (batch: readonly CommittedRecord[]) => void) {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  onStatus(_listener: (status: StoreStatus) => void) {
    return () => {};
  }

  status(): StoreStatus {
    return {
      durability: 'memory',
      state: 'memory',
      error: this.#reason,
      since: this.#since,
      seq: this.head(),
      snapshot_seq: 0,
      log_bytes: 0,
      last_fsync_ms: null,
      oldest_seq: 1,
      integrity: NOTHING_TO_CHECK,
    };
  }

  async compact(): Promise<CompactionReport> {
    return {
      from_seq: 1,
      to_seq: this.head(),
      bytes_before: 0,
      bytes_after: 0,
      archive: null,
      duration_ms: 0,
      longest_stall_ms: 0,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

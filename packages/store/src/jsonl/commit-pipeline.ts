/**
 * The append path of the JSONL store. `commit` decides every entry against the pending head and
 * reserves its seq (`WriteHead.plan`, one synchronous call), encodes the lines and hands them to
 * the group commit (`LogWriter`: one write + one fdatasync for everything that arrived while the
 * previous sync ran). Once a group is durable its records are applied to the durable labels, the
 * history index and the recent records, the head moves, and subscribers see the batch — before
 * any caller gets its answer. A failed write or sync rejects that group and everything queued
 * behind it; the head drops its queued records, so their seqs are reused and the log stays
 * gapless.
 */
import { type CanonicalPath, EMPTY_LABELS, type Labels } from '@lenslet/core';
import { type HistoryIndex, pathHash } from '../index/history-index.ts';
import type { IdempotencyTable } from '../index/idempotency-table.ts';
import { LogWriter } from '../log/log-writer.ts';
import type { WriterOptions } from '../log/write-group.ts';
import type { FsHandle, FsPort } from '../port/fs-port.ts';
import type { CommittedRecord, WriteEntry, WriteMeta } from '../port/label-store.ts';
import { type PlannedWrite, WriteHead } from '../write/write-head.ts';
import type { RecentRecords } from './recent-records.ts';

/** Commits between two prunes of the idempotency memory. */
const PRUNE_EVERY_COMMITS = 64;

export type CommitEvents = {
  /** Records up to `head` are durable; the live log's first `ackOffset` bytes hold them. */
  durable(head: number, ackOffset: number): void;
  /** The disk refused a group (or a relaxed-mode sync). */
  failed(error: unknown): void;
  /** A sync succeeded, taking `ms`. */
  synced(ms: number): void;
};

export type CommitInit = {
  readonly fs: FsPort;
  /** The live log, open for writing, and how many of its bytes hold acknowledged records. */
  readonly path: string;
  readonly handle: FsHandle;
  readonly bytes: number;
  readonly writer: WriterOptions;
  readonly clock: () => Date;
  /** Recovered state: labels, head and the time of the last record. */
  readonly items: Map<CanonicalPath, Labels>;
  readonly head: number;
  readonly lastAt: string | null;
  readonly index: HistoryIndex;
  readonly idempotency: IdempotencyTable;
  readonly recent: RecentRecords;
  readonly events: CommitEvents;
};

export class CommitPipeline {
  readonly writer: LogWriter<CommittedRecord>;
  readonly #items: Map<CanonicalPath, Labels>;
  readonly #plan: WriteHead;
  readonly #index: HistoryIndex;
  readonly #idempotency: IdempotencyTable;
  readonly #recent: RecentRecords;
  readonly #events: CommitEvents;
  readonly #clock: () => Date;
  readonly #listeners = new Set<(batch: readonly CommittedRecord[]) => void>();
  #head: number;
  #lastAt: string | null;
  #commits = 0;

  constructor(init: CommitInit) {
    this.#items = init.items;
    this.#head = init.head;
    this.#lastAt = init.lastAt;
    this.#index = init.index;
    this.#idempotency = init.idempotency;
    this.#recent = init.recent;
    this.#events = init.events;
    this.#clock = init.clock;
    this.#plan = new WriteHead(
      {
        get: (path) => this.#items.get(path) ?? EMPTY_LABELS,
        head: () => this.#head,
        lastAt: () => this.#lastAt,
      },
      init.idempotency,
    );
    this.writer = new LogWriter<CommittedRecord>(
      init.fs,
      init.path,
      init.handle,
      init.bytes,
      init.writer,
      {
        encode: (committed, into) => into.record(committed.record),
        committed: (batch, lengths, ackOffset) => this.#committed(batch, lengths, ackOffset),
        failed: (error) => this.#failed(error),
        synced: (ms) => this.#events.synced(ms),
      },
    );
    this.#idempotency.prune(init.clock().getTime(), this.#head);
  }

  /** Durable head seq. */
  head(): number {
    return this.#head;
  }

  /** Durable labels of one image, or undefined when it has no record. */
  get(path: CanonicalPath): Labels | undefined {
    return this.#items.get(path);
  }

  /** Every image with a durable record (the store's live map). */
  items(): ReadonlyMap<CanonicalPath, Labels> {
    return this.#items;
  }

  /**
   * Plan, encode and queue `entries`, all in this one synchronous call (no await in between):
   * the plans, and a promise that resolves once their records are durable.
   */
  commit(
    entries: readonly WriteEntry[],
    meta: WriteMeta,
  ): { planned: PlannedWrite[]; durable: Promise<void> } {
    const planned = this.#plan.plan(entries, meta, this.#clock());
    let durable: Promise<void> | null = null;
    for (const plan of planned) if (plan.kind === 'record') durable = this.#append(plan);
    // Every record of the batch is in the same group (nothing is flushed in between).
    return { planned, durable: durable ?? this.writer.behindQueued() };
  }

  /** `commit` of one entry: its plan, and a promise that resolves once it is durable. */
  commitOne(entry: WriteEntry, meta: WriteMeta): { plan: PlannedWrite; durable: Promise<void> } {
    const plan = this.#plan.planOne(entry, meta, this.#clock());
    const durable = plan.kind === 'record' ? this.#append(plan) : this.writer.behindQueued();
    return { plan, durable };
  }

  #append(plan: PlannedWrite & { kind: 'record' }): Promise<void> {
    return this.writer.append({ record: plan.record, labels: plan.labels });
  }

  /** Called with each durable batch, in seq order. Returns unsubscribe. */
  subscribe(listener: (batch: readonly CommittedRecord[]) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #committed(
    batch: readonly CommittedRecord[],
    lengths: readonly number[],
    ackOffset: number,
  ): void {
    let offset = ackOffset;
    for (let i = 0; i < lengths.length; i++) offset -= lengths[i]!;
    for (let i = 0; i < batch.length; i++) {
      const committed = batch[i]!;
      const { record, labels } = committed;
      this.#items.set(record.path, labels);
      this.#index.set(record.seq, pathHash(record.path), offset);
      offset += lengths[i]!;
      this.#recent.push(committed);
    }
    const last = batch.at(-1);
    if (last) {
      this.#head = last.record.seq;
      this.#lastAt = last.record.at;
    }
    this.#plan.committed(this.#head);
    this.#recent.trim();
    if (++this.#commits % PRUNE_EVERY_COMMITS === 0)
      this.#idempotency.prune(this.#clock().getTime(), this.#head);
    this.#events.durable(this.#head, ackOffset);
    if (batch.length === 0) return;
    for (const listener of this.#listeners) listener(batch);
  }

  #failed(error: unknown): void {
    this.#plan.reset();
    this.#index.truncate(this.#head);
    this.#events.failed(error);
  }
}

/**
 * The pending head: durable labels plus the records queued for the disk. Every write is decided
 * here, synchronously, and gets its seq in the same call, so two writes to one image can never
 * both pass against the same state. On a disk failure the store calls `reset()`: every queued
 * record is dropped and its seq reused, keeping the log gapless.
 */
import {
  type CanonicalPath,
  decide,
  evolve,
  isLensletError,
  type LabelRecord,
  type Labels,
  LensletError,
} from '@lenslet/core';
import type { IdempotencyLookup, KeyHashes } from '../index/idempotency.ts';
import type { WriteEntry, WriteMeta } from '../port/label-store.ts';
import { fingerprint } from './fingerprint.ts';

/** What the head decided for one entry. */
export type PlannedWrite =
  | {
      readonly kind: 'record';
      readonly record: LabelRecord;
      readonly labels: Labels;
      readonly rebased: boolean;
    }
  | { readonly kind: 'noop'; readonly path: CanonicalPath; readonly labels: Labels }
  | {
      readonly kind: 'retry';
      readonly path: CanonicalPath;
      readonly seq: number;
      readonly base?: number;
    }
  | { readonly kind: 'error'; readonly path: CanonicalPath; readonly error: LensletError };

export type DurableView = {
  get(path: CanonicalPath): Labels;
  head(): number;
  /** `at` of the last durable record, or null. */
  lastAt(): string | null;
};

/**
 * A queued record's idempotency entry, which also carries the labels after it while it is
 * queued (the overlay): one object per queued record. `labels` is dropped once it is durable, so
 * a key index that keeps entries keeps no labels.
 */
type Queued = KeyHashes & {
  readonly key: string;
  readonly mode: WriteMeta['mode'];
  readonly path: CanonicalPath;
  readonly fp: string;
  readonly seq: number;
  readonly at_ms: number;
  labels: Labels | null;
};

export class WriteHead {
  readonly #durable: DurableView;
  readonly #idempotency: IdempotencyLookup;
  /** The newest queued record of each path. */
  readonly #overlay = new Map<CanonicalPath, Queued>();
  /** Queued records by key (an array only when a key has several), in seq order. */
  readonly #pendingKeys = new Map<string, Queued | Queued[]>();
  #pendingOrder: Queued[] = [];
  /** Entries before this index of #pendingOrder are committed. */
  #pendingHead = 0;
  #nextSeq: number;
  #lastAt: string | null;
  #isoMs = Number.NaN;
  #iso = '';
  /** The key index's hashes of the request checked last (copied into its queued entry). */
  readonly #hashes: KeyHashes = { keyHi: 0, keyLo: 0, requestHi: 0, requestLo: 0, tag: 0 };

  constructor(durable: DurableView, idempotency: IdempotencyLookup) {
    this.#durable = durable;
    this.#idempotency = idempotency;
    this.#nextSeq = durable.head() + 1;
    this.#lastAt = durable.lastAt();
  }

  /** Labels as the next write will see them. */
  labelsOf(path: CanonicalPath): Labels {
    return this.#overlay.get(path)?.labels ?? this.#durable.get(path);
  }

  /** Highest seq handed out so far (durable or queued). */
  reservedHead(): number {
    return this.#nextSeq - 1;
  }

  /** Decide every entry and reserve seqs, all in this one synchronous call. */
  plan(entries: readonly WriteEntry[], meta: WriteMeta, now: Date): PlannedWrite[] {
    const at = this.#at(now);
    const nowMs = now.getTime();
    const planned: PlannedWrite[] = [];
    for (const entry of entries) planned.push(this.#planOne(entry, meta, at, nowMs));
    return planned;
  }

  /** `plan` of a single entry (no arrays). */
  planOne(entry: WriteEntry, meta: WriteMeta, now: Date): PlannedWrite {
    return this.#planOne(entry, meta, this.#at(now), now.getTime());
  }

  /** The record time for `now`: its ISO text (made once per millisecond), never before the last. */
  #at(now: Date): string {
    const ms = now.getTime();
    if (ms !== this.#isoMs) {
      this.#isoMs = ms;
      this.#iso = now.toISOString();
    }
    const at = this.#iso;
    return this.#lastAt !== null && at < this.#lastAt ? this.#lastAt : at;
  }

  #planOne(entry: WriteEntry, meta: WriteMeta, at: string, nowMs: number): PlannedWrite {
    const { path } = entry;
    const fp = fingerprint(entry, meta.mode);
    const verdict = this.#checkKey(meta, path, fp);
    if (verdict.kind === 'retry')
      return { kind: 'retry', path, seq: verdict.seq, base: entry.expected_version };
    if (verdict.kind === 'reused') {
      return {
        kind: 'error',
        path,
        error: new LensletError(
          'idempotency_key_reused',
          `Idempotency-Key "${meta.mutation_id}" cannot be reused: ${verdict.reason}`,
        ),
      };
    }
    const labels = this.labelsOf(path);
    let decision: ReturnType<typeof decide>;
    try {
      decision = decide(entry.patch, labels, {
        expected_version: entry.expected_version,
        last_writer_wins: entry.last_writer_wins,
      });
    } catch (error) {
      if (isLensletError(error)) return { kind: 'error', path, error };
      throw error;
    }
    if (decision.changes.length === 0) return { kind: 'noop', path, labels };
    // Two literal shapes instead of a spread: records are created per write (hot path).
    const seq = this.#nextSeq++;
    const version = labels.version + 1;
    const record: LabelRecord =
      entry.expected_version === undefined
        ? {
            v: 1,
            seq,
            at,
            actor: meta.actor,
            path,
            version,
            mutation_id: meta.mutation_id,
            fp,
            changes: decision.changes,
          }
        : {
            v: 1,
            seq,
            at,
            actor: meta.actor,
            path,
            version,
            base: entry.expected_version,
            mutation_id: meta.mutation_id,
            fp,
            changes: decision.changes,
          };
    const next = evolve(labels, record);
    this.#lastAt = at;
    // A record is only made for a key the index checked as new just now (#checkKey), so
    // #hashes are this request's.
    const hashes = this.#hashes;
    const queued: Queued = {
      key: meta.mutation_id,
      mode: meta.mode,
      path,
      fp,
      seq,
      at_ms: nowMs,
      labels: next,
      keyHi: hashes.keyHi,
      keyLo: hashes.keyLo,
      requestHi: hashes.requestHi,
      requestLo: hashes.requestLo,
      tag: hashes.tag,
    };
    this.#overlay.set(path, queued);
    const pending = this.#pendingKeys.get(meta.mutation_id);
    if (pending === undefined) this.#pendingKeys.set(meta.mutation_id, queued);
    else if (Array.isArray(pending)) pending.push(queued);
    else this.#pendingKeys.set(meta.mutation_id, [pending, queued]);
    this.#pendingOrder.push(queued);
    return { kind: 'record', record, labels: next, rebased: decision.rebased };
  }

  #checkKey(meta: WriteMeta, path: CanonicalPath, fp: string) {
    const pending = this.#pendingKeys.get(meta.mutation_id);
    if (pending !== undefined) {
      const many = Array.isArray(pending);
      const first = many ? pending[0]! : pending;
      const same = many ? pending.find((e) => e.path === path) : first.path === path ? first : null;
      if (same) {
        return same.fp === fp && same.mode === meta.mode
          ? ({ kind: 'retry', seq: same.seq } as const)
          : ({ kind: 'reused', reason: `it was used for a different request on ${path}` } as const);
      }
      const multi = (meta.mode === 'bulk' || meta.mode === 'metrics') && first.mode === meta.mode;
      if (!multi) {
        return {
          kind: 'reused',
          reason: `it was used for a different request on ${first.path}`,
        } as const;
      }
    }
    return this.#idempotency.check(meta.mutation_id, meta.mode, path, fp, this.#hashes);
  }

  /**
   * Records up to `seq` are durable: the durable view already reflects them, so drop them from
   * the overlay and move their keys into the durable index.
   */
  committed(seq: number): void {
    // Every queued record has one entry in #pendingOrder (in seq order), so walking the committed
    // ones is enough — no scan of the whole overlay per commit.
    const order = this.#pendingOrder;
    let done = this.#pendingHead;
    while (done < order.length && order[done]!.seq <= seq) {
      const entry = order[done++]!;
      if (this.#overlay.get(entry.path) === entry) this.#overlay.delete(entry.path);
      entry.labels = null;
      this.#idempotency.add(entry, entry);
      const byKey = this.#pendingKeys.get(entry.key)!;
      if (!Array.isArray(byKey)) this.#pendingKeys.delete(entry.key);
      else {
        byKey.splice(byKey.indexOf(entry), 1);
        if (byKey.length === 0) this.#pendingKeys.delete(entry.key);
      }
    }
    if (done === order.length) {
      this.#pendingOrder = [];
      this.#pendingHead = 0;
    } else if (done > 1024 && done > order.length / 2) {
      this.#pendingOrder = order.slice(done);
      this.#pendingHead = 0;
    } else {
      this.#pendingHead = done;
    }
  }

  /** Drop everything queued (the disk refused it); seqs restart after the durable head. */
  reset(): void {
    this.#overlay.clear();
    this.#pendingKeys.clear();
    this.#pendingOrder = [];
    this.#pendingHead = 0;
    this.#nextSeq = this.#durable.head() + 1;
    this.#lastAt = this.#durable.lastAt();
  }
}

/**
 * A group of the log writer (log-writer.ts): `Pending` while appends join it, `Flight` once it is
 * written and its fdatasync runs, `Broken` when its write failed; and what the writer
 * tells its owner about groups (`WriterHooks`).
 */
import { GroupBuffer } from './group-buffer.ts';

export type WriterHooks<T> = {
  /** Encode an append's lines into its group (called once, when it is appended). */
  encode(payload: T, into: GroupBuffer): void;
  /**
   * A group is acknowledged (durable, or written in relaxed mode), in order: the payloads of its
   * appends and the byte length of each append's text (same order).
   */
  committed(payloads: readonly T[], lengths: readonly number[], ackOffset: number): void;
  /** A group (and everything queued behind it) was rejected, or a relaxed sync failed. */
  failed(error: unknown): void;
  /** A sync succeeded (after a failure this means the disk is back). */
  synced(ms: number): void;
};

/** A failed write (`group`: its bytes may be partly in the file), or a failed reopen (null). */
export type Broken<T> = { readonly group: Pending<T> | null; readonly error: unknown };

export type WriterOptions = {
  readonly durability: 'fsync' | 'relaxed';
  readonly relaxed_interval_ms: number;
  /**
   * Write a second group while another syncs (two fdatasyncs at once). Off by default: on the
   * machines measured it gained nothing and cost live-update CPU (docs/benchmarks.md, "Two
   * groups in flight"); recovery and the power-loss test hold with it on.
   */
  readonly pipeline?: boolean;
};

/** The appends waiting for the next group: their text, payloads and one shared promise. */
export class Pending<T> {
  readonly lines: GroupBuffer;
  readonly payloads: T[] = [];
  /** Taken for writing: later appends start the next group. */
  closed = false;
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;

  /** `capacity`: bytes to start with (the previous group's size, so most groups never grow). */
  constructor(capacity: number) {
    this.lines = new GroupBuffer(capacity);
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

export const PENDING = 0;
export const DONE = 1;
export const FAILED = 2;

/** A written group waiting for its fdatasync; `settled` never rejects (see `state`). */
export class Flight<T> {
  state: typeof PENDING | typeof DONE | typeof FAILED = PENDING;
  error: unknown = null;
  readonly settled: Promise<void>;

  /** `end`: the file offset after this group's bytes (durable once its sync returned). */
  constructor(
    readonly group: Pending<T>,
    sync: Promise<void> | null,
    readonly end: number,
  ) {
    if (sync === null) {
      this.state = DONE;
      this.settled = Promise.resolve();
    } else {
      this.settled = sync.then(
        () => {
          this.state = DONE;
        },
        (error: unknown) => {
          this.state = FAILED;
          this.error = error;
        },
      );
    }
  }
}

/**
 * Group commit onto the live log. Every append joins the group that is waiting while the previous
 * write + fdatasync runs; a group is one write (its frame line, group-frame.ts, then its records,
 * encoded once into one buffer: group-buffer.ts) and one fdatasync. Appends resolve in order.
 *
 * Failure rule: a failed write or fdatasync rejects its group and every append queued behind it,
 * and the descriptor is never trusted again: before the next write the file is reopened,
 * truncated to the last durable offset and synced (so the rejected bytes can never reappear as
 * records). In relaxed mode appends resolve after write(); fdatasync runs at most every
 * `relaxed_interval_ms`, and bytes written since the last sync are kept in memory so a failed
 * sync can rewrite them through a fresh descriptor.
 */
import { LensletError } from '@lenslet/core';
import type { FsHandle, FsPort } from '../port/fs-port.ts';
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

/** The appends waiting for the next group: their text, payloads and one shared promise. */
class Pending<T> {
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

/** Appends after which a group is written at once when nothing is in flight (fsync mode). */
const SPLIT_AT = 64;

export type WriterOptions = {
  readonly durability: 'fsync' | 'relaxed';
  readonly relaxed_interval_ms: number;
};

/** The 503 every rejected append gets. */
export function persistenceUnavailable(cause: unknown): LensletError {
  const code = (cause as { code?: string } | null)?.code;
  return new LensletError(
    'persistence_unavailable',
    `labels cannot be saved right now (${code ?? String((cause as Error)?.message ?? cause)}); nothing was changed, try again`,
    { cause },
  );
}

export class LogWriter<T> {
  readonly #fs: FsPort;
  readonly #hooks: WriterHooks<T>;
  readonly #options: WriterOptions;
  #path: string;
  #handle: FsHandle | null;
  /** Bytes known durable; the file is truncated back to this after a failure. */
  #synced: number;
  /** Bytes written (== #synced in fsync mode). */
  #written: number;
  /** Relaxed mode: written but not yet synced, kept to rewrite after a failed sync. */
  #unsynced: Buffer[] = [];
  /** Groups waiting to be written, oldest first; appends join the last one while it is open. */
  #groups: Pending<T>[] = [];
  /** Bytes of the last group written (sizes the next group's buffer). */
  #lastGroupBytes = 0;
  /** A flush is scheduled or running (it writes every group it finds, one after another). */
  #flushing = false;
  /** Tasks other than flushes waiting for the write lock (a flush lets them in between groups). */
  #waiting = 0;
  #tail: Promise<void> = Promise.resolve();
  #needsReopen = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(
    fs: FsPort,
    path: string,
    handle: FsHandle,
    offset: number,
    options: WriterOptions,
    hooks: WriterHooks<T>,
  ) {
    this.#fs = fs;
    this.#path = path;
    this.#handle = handle;
    this.#synced = offset;
    this.#written = offset;
    this.#options = options;
    this.#hooks = hooks;
  }

  /** Bytes acknowledged so far (durable in fsync mode). */
  get writtenOffset(): number {
    return this.#written;
  }

  get durableOffset(): number {
    return this.#synced;
  }

  /**
   * Queue `payload` (encoded into its group's lines by `hooks.encode` now); resolves when its
   * group is acknowledged. Every append of one group gets the same promise (one per group, not
   * one per append): their continuations run in append order once the group's hooks ran.
   */
  append(payload: T): Promise<void> {
    const queue = this.#open();
    if (queue === null)
      return Promise.reject(new LensletError('shutting_down', 'the store is closed'));
    this.#hooks.encode(payload, queue.lines);
    queue.payloads.push(payload);
    // Nothing in flight and a group this big: write it now, so that the appends still to come
    // in this turn form the next group. From then on one group decides while the other syncs.
    if (
      queue.payloads.length === SPLIT_AT &&
      !this.#flushing &&
      this.#options.durability === 'fsync'
    ) {
      queue.closed = true;
      this.#startFlush();
    }
    return queue.done;
  }

  /** Resolves with the next group (after every append queued so far), adding nothing to it. */
  behindQueued(): Promise<void> {
    const queue = this.#open();
    if (queue === null)
      return Promise.reject(new LensletError('shutting_down', 'the store is closed'));
    return queue.done;
  }

  /** The group that appends join now (started on first use), or null once closed. */
  #open(): Pending<T> | null {
    if (this.#closed) return null;
    const last = this.#groups.at(-1);
    if (last !== undefined && !last.closed) return last;
    const queue = new Pending<T>(this.#lastGroupBytes + (this.#lastGroupBytes >> 2) + 1024);
    this.#groups.push(queue);
    // Start the group once pending promise callbacks have run: every caller woken by the
    // previous group has queued its next write by then, so groups stay full.
    if (!this.#flushing) setImmediate(this.#scheduled);
    return queue;
  }

  readonly #scheduled = (): void => {
    if (!this.#flushing && this.#groups.length > 0) this.#startFlush();
  };

  #startFlush(): void {
    this.#flushing = true;
    void this.#serial(this.#flushAll, false);
  }

  readonly #flushAll = (): Promise<void> => this.#flush();

  /**
   * Run `fn` with the log to itself (the write lock): after the group in flight, before any later
   * one. `fn` gets `sync()`, which makes every acknowledged byte durable first.
   */
  exclusive<R>(fn: (control: { sync(): Promise<void> }) => Promise<R>): Promise<R> {
    return this.#serial(() =>
      fn({
        sync: async () => {
          if (this.#needsReopen) await this.#reopen();
          else if (this.#written > this.#synced) await this.#sync();
        },
      }),
    );
  }

  /** Run `fn` under the write lock, after everything queued before it. */
  #serial<R>(fn: () => Promise<R>, waits = true): Promise<R> {
    if (waits) this.#waiting += 1;
    const run = this.#tail.then(() => {
      if (waits) this.#waiting -= 1;
      return fn();
    });
    this.#tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Write groups in order, each only after the previous one's fdatasync returned (so everything
   * after the last durable group is at most one group: the rule power-loss recovery relies on).
   * Once a group is durable the next one is written (on this thread: a copy into the page cache)
   * and its fdatasync started before the durable group's callers are answered, so that sync runs
   * while they decide their next writes.
   */
  async #flush(): Promise<void> {
    let group = this.#groups.shift() ?? null;
    let syncing: Promise<void> | null = null;
    let written = false;
    try {
      while (group !== null) {
        try {
          if (!written) {
            if (this.#needsReopen) await this.#reopen();
            syncing = this.#write(group);
          }
          if (syncing !== null) await syncing;
        } catch (error) {
          this.#fail(error, group);
          return;
        }
        this.#hooks.committed(group.payloads, group.lines.lengths, this.#written);
        const done = group;
        group = this.#waiting === 0 ? (this.#groups.shift() ?? null) : null;
        written = false;
        if (group !== null) {
          try {
            syncing = this.#write(group);
            written = true;
          } catch (error) {
            done.resolve();
            this.#fail(error, group);
            return;
          }
        }
        done.resolve();
      }
    } finally {
      this.#flushing = false;
      // Appends that arrived while other tasks held the lock still need their flush.
      if (this.#groups.length > 0) setImmediate(this.#scheduled);
    }
  }

  /**
   * Write `group` (frame + records) now and start its fdatasync (fsync mode): the sync's promise,
   * or null when nothing is left to wait for.
   */
  #write(group: Pending<T>): Promise<void> | null {
    group.closed = true;
    if (group.lines.bytes === 0) return null;
    // The frame says how far the file is durable now: the evidence recovery needs to tell this
    // write, if a power cut tears it, from damage to acknowledged records.
    const data = group.lines.framed(this.#synced);
    this.#lastGroupBytes = data.length;
    this.#handle!.writeNow(data, this.#written);
    this.#written += data.length;
    if (this.#options.durability === 'fsync') return this.#sync();
    this.#unsynced.push(data);
    this.#armTimer();
    return null;
  }

  async #sync(): Promise<void> {
    const started = performance.now();
    await this.#handle!.datasync();
    this.#synced = this.#written;
    this.#unsynced = [];
    this.#hooks.synced(performance.now() - started);
  }

  #fail(error: unknown, group: Pending<T>): void {
    const behind = this.#groups;
    this.#groups = [];
    this.#needsReopen = true;
    // Bytes of the rejected group may be in the file; they are cut off by the next reopen.
    this.#written = this.#synced + this.#unsynced.reduce((n, b) => n + b.length, 0);
    this.#hooks.failed(error);
    const answer = persistenceUnavailable(error);
    group.reject(answer);
    for (const queued of behind) queued.reject(answer);
    this.#armTimer();
  }

  /** Fresh descriptor, file cut back to the durable offset, acknowledged unsynced bytes rewritten. */
  async #reopen(): Promise<void> {
    const old = this.#handle;
    this.#handle = null;
    await old?.close().catch(() => {});
    const handle = await this.#fs.open(this.#path, 'r+');
    try {
      await handle.truncate(this.#synced);
      let position = this.#synced;
      for (const chunk of this.#unsynced) {
        await handle.write(chunk, position);
        position += chunk.length;
      }
      await handle.datasync();
      this.#written = position;
      this.#synced = position;
      this.#unsynced = [];
    } catch (error) {
      await handle.close().catch(() => {});
      throw error;
    }
    this.#handle = handle;
    this.#needsReopen = false;
  }

  /** Relaxed mode: sync soon. After a failure: retry the repair soon. */
  #armTimer(): void {
    if (this.#timer || this.#closed) return;
    if (!this.#needsReopen && this.#unsynced.length === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#serial(() => this.#background()).catch(() => {});
    }, this.#options.relaxed_interval_ms);
    this.#timer.unref?.();
  }

  async #background(): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.#needsReopen) {
        await this.#reopen();
        this.#hooks.synced(0);
      } else if (this.#unsynced.length > 0) await this.#sync();
    } catch (error) {
      this.#needsReopen = true;
      this.#hooks.failed(error);
    }
    this.#armTimer();
  }

  /** Make everything acknowledged durable now (relaxed mode, rotation, close). */
  flush(): Promise<void> {
    return this.#serial(async () => {
      if (this.#needsReopen) await this.#reopen();
      else if (this.#written > this.#synced) await this.#sync();
    });
  }

  /** Under `exclusive`: switch to another live file (after a rotation). */
  async swap(path: string, handle: FsHandle, offset: number): Promise<void> {
    if (this.#written > this.#synced || this.#needsReopen) {
      throw new Error('log writer: swap with unsynced bytes');
    }
    await this.#handle?.close().catch(() => {});
    this.#path = path;
    this.#handle = handle;
    this.#synced = offset;
    this.#written = offset;
  }

  /** Stop accepting appends, wait for the group in flight, sync, close the descriptor. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.flush();
    } finally {
      this.#closed = true;
      if (this.#timer) clearTimeout(this.#timer);
      await this.#serial(async () => {
        await this.#handle?.close().catch(() => {});
        this.#handle = null;
      });
    }
  }
}

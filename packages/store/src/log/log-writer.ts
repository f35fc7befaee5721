/**
 * Group commit onto the live log. Appends join the open group; a group is one write (its frame
 * line, group-frame.ts, then its records, encoded once into one buffer: group-buffer.ts) and one
 * fdatasync, one group in flight at a time (two with `pipeline`). Groups are acknowledged in order.
 *
 * Failure rule: a failed write or fdatasync fails its group, every group in flight after it and
 * every append queued behind it, and the descriptor is never trusted again: the file is reopened,
 * truncated to the last acknowledged offset and synced, and only then are the written groups'
 * callers answered 503 (a 503 means the change is not in the log, and can never reappear).
 * In relaxed mode appends resolve after write(); fdatasync runs at most every
 * `relaxed_interval_ms`, and bytes written since the last sync are kept in memory so a failed
 * sync can rewrite them through a fresh descriptor.
 */
import { LensletError } from '@lenslet/core';
import type { FsHandle, FsPort } from '../port/fs-port.ts';
import { FailedGroups, persistenceUnavailable } from './write-failure.ts';
import {
  type Broken,
  FAILED,
  Flight,
  PENDING,
  Pending,
  type WriterHooks,
  type WriterOptions,
} from './write-group.ts';

/** Appends after which an open group is written at once when a slot is free (fsync mode). */
const SPLIT_AT = 64;

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
  /** Failed groups whose bytes may still be in the file: answered once #reopen cut them off. */
  readonly #failed = new FailedGroups();
  /** Bytes of the last group written (sizes the next group's buffer). */
  #lastGroupBytes = 0;
  /** A flush is scheduled or running (it writes every group it finds, one after another). */
  #flushing = false;
  /** Set while the flush waits with a free slot: call it to have the open group written. */
  #wake: (() => void) | null = null;
  /** Groups that may be in flight at once: 1, or 2 with `pipeline`. */
  readonly #depth: number;
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
    this.#depth = options.pipeline ? 2 : 1;
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
    // A group this big with a slot free: write it now, so that the appends still to come in
    // this turn form the next group.
    if (queue.payloads.length === SPLIT_AT && this.#options.durability === 'fsync') {
      if (!this.#flushing) {
        queue.closed = true;
        this.#startFlush();
      } else if (this.#wake !== null) {
        queue.closed = true;
        this.#wakeFlush();
      }
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
    // previous group has queued its next write by then, so groups stay full. With `pipeline`, a
    // flush that is running takes it then if it has a free slot (without, it never has one).
    if (!this.#flushing || this.#depth > 1) setImmediate(this.#scheduled);
    return queue;
  }

  readonly #scheduled = (): void => {
    if (this.#groups.length === 0) return;
    if (!this.#flushing) this.#startFlush();
    else this.#wakeFlush();
  };

  #wakeFlush(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #startFlush(): void {
    this.#flushing = true;
    void this.#serial(() => this.#flush(), false);
  }

  /**
   * Run `fn` with the log to itself (the write lock): after the groups in flight, before any
   * later one. `fn` gets `sync()`, which makes every acknowledged byte durable first.
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
   * Write groups in order, one at a time, or with `pipeline` at most two past the durable offset
   * (a group that formed while another syncs need not wait for that sync). Groups are
   * acknowledged in order, each once its own fdatasync returned; every frame carries the
   * acknowledged offset at its write, so recovery tells never-acknowledged bytes from
   * acknowledged ones (tail-verdict.ts). When the oldest group is durable the next one is
   * written before its callers are answered, so its sync runs while they decide.
   */
  async #flush(): Promise<void> {
    const flights: Flight<T>[] = [];
    /** A group whose write failed: rejected once the groups in flight before it are settled. */
    let broken: Broken<T> | null = null;
    try {
      for (;;) {
        broken ??= await this.#fill(flights);
        const oldest = flights[0];
        if (oldest === undefined) {
          if (broken !== null) await this.#fail(broken.error, broken.group ? [broken.group] : []);
          return;
        }
        if (oldest.state === PENDING) {
          if (broken === null && flights.length < this.#depth && this.#waiting === 0) {
            // A free slot: wake for the next group as soon as it has appends (#scheduled).
            await Promise.race([oldest.settled, new Promise<void>((wake) => (this.#wake = wake))]);
            this.#wake = null;
            continue;
          }
          await oldest.settled;
        }
        if (oldest.state === FAILED) {
          // Later groups may have synced, but they are cut off with it (never acknowledged).
          await Promise.all(flights.map((flight) => flight.settled));
          const groups = flights.map((flight) => flight.group);
          if (broken?.group) groups.push(broken.group);
          await this.#fail(oldest.error, groups);
          return;
        }
        flights.shift();
        // (Relaxed mode: written is not synced; #sync advances it.)
        if (this.#options.durability === 'fsync') this.#synced = oldest.end;
        this.#hooks.committed(oldest.group.payloads, oldest.group.lines.lengths, oldest.end);
        // Write what formed meanwhile before answering, so its sync runs while they decide.
        broken ??= await this.#fill(flights);
        oldest.group.resolve();
      }
    } finally {
      this.#wake = null;
      this.#flushing = false;
      // Appends that arrived while other tasks held the lock still need their flush.
      if (this.#groups.length > 0) setImmediate(this.#scheduled);
    }
  }

  /**
   * Write queued groups while a slot is free and no other task waits for the lock. Returns the
   * group whose write (or the reopen before it) failed, or null.
   */
  async #fill(flights: Flight<T>[]): Promise<Broken<T> | null> {
    while (flights.length < this.#depth && this.#waiting === 0 && this.#groups.length > 0) {
      if (this.#needsReopen) {
        try {
          await this.#reopen();
        } catch (error) {
          // Nothing of the queued groups was written: #fail rejects them at once.
          return { group: null, error };
        }
      }
      const group = this.#groups.shift()!;
      try {
        flights.push(new Flight(group, this.#write(group), this.#written));
      } catch (error) {
        return { group, error };
      }
    }
    return null;
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
    // The flush advances #synced itself, group by group in order: a later group's sync may
    // return first, and a failed earlier group's bytes must still be cut off.
    if (this.#options.durability === 'fsync') return this.#timedSync();
    this.#unsynced.push(data);
    this.#armTimer();
    return null;
  }

  async #timedSync(): Promise<void> {
    const started = performance.now();
    await this.#handle!.datasync();
    this.#hooks.synced(performance.now() - started);
  }

  /** Sync everything written (under the lock, nothing in flight). */
  async #sync(): Promise<void> {
    await this.#timedSync();
    this.#synced = this.#written;
    this.#unsynced = [];
  }

  /**
   * `groups` (written, oldest first) failed: every queued group, never written, is rejected now.
   * The written ones are rejected only once their bytes are cut off (#reopen): an earlier
   * group's fdatasync may have made them durable, and a 503 must mean that nothing was saved.
   * The cut is retried every `relaxed_interval_ms` (write-failure.ts: FailedGroups).
   */
  async #fail(error: unknown, groups: readonly Pending<T>[]): Promise<void> {
    const behind = this.#groups;
    this.#groups = [];
    this.#needsReopen = true;
    this.#written = this.#synced + this.#unsynced.reduce((n, b) => n + b.length, 0);
    this.#hooks.failed(error);
    const answer = persistenceUnavailable(error);
    for (const queued of behind) queued.reject(answer);
    if (groups.length === 0) return this.#armTimer();
    this.#failed.hold(groups, error);
    await this.#reopen().catch(() => this.#armTimer());
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
    // The failed groups' bytes are gone for good: now their callers can be told so.
    this.#failed.settle();
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
        // Closed before the disk let a failed group be cut off: say what is known.
        this.#failed.giveUp();
      });
    }
  }
}

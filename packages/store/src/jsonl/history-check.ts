/**
 * The background history check: the records a snapshot covers are not read when the store opens,
 * so after the open (once the history index is complete) they are checked slice by slice on the
 * background runner (the worker thread in `lenslet serve`) — every crc, seq and group frame, as
 * recovery would — pausing between slices so it takes a small share of one core and never holds
 * up writes or maintenance. Files that a compaction moves meanwhile are found again
 * (`withStableFiles`). The result goes to the status: `checking` → `ok`, or `damaged` with file,
 * line and the repair command (also a warning), or `failed` when the files could not be read.
 */

import { allFiles, type OpenLog, withStableFiles } from '../log/open-log.ts';
import { REPAIR } from '../recovery/read-log-file.ts';
import type { StatusTracker } from './store-status.ts';

/** Records per slice (a few MiB of log). */
const SLICE_RECORDS = 50_000;
/** Pause after a slice, as a multiple of the time it took: about a quarter of one core. */
const PAUSE_FACTOR = 3;
const MIN_PAUSE_MS = 20;

export class HistoryCheck {
  readonly #log: OpenLog;
  readonly #status: StatusTracker;
  readonly #from: number;
  readonly #through: number;
  #stopped = false;
  #wake: (() => void) | null = null;
  #done: Promise<void> = Promise.resolve();

  /** Check seqs from..through (through = the snapshot's seq when the store opened). */
  constructor(log: OpenLog, status: StatusTracker, from: number, through: number) {
    this.#log = log;
    this.#status = status;
    this.#from = from;
    this.#through = through;
  }

  /** Start once `ready` settles (the history index is complete). */
  start(ready: Promise<unknown>): void {
    if (this.#through < this.#from) return;
    this.#done = ready
      .then(() => (this.#stopped ? undefined : this.#run()))
      .catch((error) => {
        if (this.#stopped) return;
        this.#report(
          'failed',
          `the history check could not read the log: ${(error as Error)?.message ?? error}`,
        );
      });
  }

  /** Stop (the store is closing); resolves once no slice is running. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#done;
  }

  async #run(): Promise<void> {
    const log = this.#log;
    let next = this.#from;
    this.#report('checking', null);
    while (next <= this.#through) {
      if (this.#stopped) return;
      const started = performance.now();
      const slice = await withStableFiles(log, async () => {
        const file = allFiles(log).find((f) => f.to >= next);
        if (!file || file.from > next) throw new Error(`no log file holds seq ${next}`);
        const to = Math.min(file.to, this.#through, next + SLICE_RECORDS - 1);
        const offset = next > file.from ? (log.index.offsetOf(next) ?? 0) : 0;
        const result = await log.runner.run('check', {
          dir: log.dir,
          file: { ...file },
          from_seq: next,
          start: offset,
          to_seq: to,
        });
        if (!result.problem && result.next_seq <= to) {
          // A file that moved under the read looks short: withStableFiles reads it again.
          throw new Error(`${file.name} ends at seq ${result.next_seq - 1}, before ${to}`);
        }
        return result;
      });
      if (slice.problem) {
        const { file, line, detail } = slice.problem;
        const where = line > 0 ? `${file} line ${line}` : file;
        const message = `${where}: ${detail}; ${REPAIR}`;
        log.warn(`the background check of the history found damage: ${message}`);
        this.#report('damaged', message);
        return;
      }
      next = slice.next_seq;
      await this.#pause((performance.now() - started) * PAUSE_FACTOR);
    }
    if (!this.#stopped) this.#report('ok', null);
  }

  #pause(ms: number): Promise<void> {
    // Stopped during the slice: `stop()` already woke whatever was waiting, and the timer below is
    // unref'd, so a closing process could end with this promise (and close()) never settled.
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(MIN_PAUSE_MS, ms));
      timer.unref?.();
      this.#wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  #report(state: 'checking' | 'ok' | 'damaged' | 'failed', problem: string | null): void {
    this.#status.history({ state, through_seq: this.#through, problem });
  }
}

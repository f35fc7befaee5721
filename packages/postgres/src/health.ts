/**
 * The store's persistence state. `failing` while the last write, or the last read of the log,
 * failed for want of the database; `saved` again once a commit (or a probe commit) succeeds and
 * reads answer. Listeners hear every change of state.
 */
import type { StoreStatus } from '@lenslet/store';

type Source = 'write' | 'read';

export class Health {
  readonly #clock: () => Date;
  readonly #failing = new Map<Source, string>();
  readonly #listeners = new Set<() => void>();
  #since: string;

  constructor(clock: () => Date) {
    this.#clock = clock;
    this.#since = clock().toISOString();
  }

  get state(): StoreStatus['state'] {
    return this.#failing.size > 0 ? 'failing' : 'saved';
  }

  get error(): string | null {
    return this.#failing.get('write') ?? this.#failing.get('read') ?? null;
  }

  get since(): string {
    return this.#since;
  }

  /** Why the last read of the log failed, or null. */
  get readError(): string | null {
    return this.#failing.get('read') ?? null;
  }

  /** True while the last write failed (the poll then probes with an empty commit). */
  get writeFailing(): boolean {
    return this.#failing.has('write');
  }

  fail(source: Source, message: string): void {
    const before = this.state;
    this.#failing.set(source, message);
    this.#changed(before);
  }

  ok(source: Source): void {
    if (!this.#failing.has(source)) return;
    const before = this.state;
    this.#failing.delete(source);
    this.#changed(before);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #changed(before: StoreStatus['state']): void {
    if (this.state === before) return;
    this.#since = this.#clock().toISOString();
    for (const listener of this.#listeners) listener();
  }
}

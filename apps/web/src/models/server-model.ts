/**
 * What the server has told this page about itself: which label log it serves (`hello`), whether
 * labels reach the disk (`/health`, `persistence` events), whether it is read-only, and whether it
 * needs a token (any 401). Signals only: no effects or timers.
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import type { Health } from '../api.ts';

export type Persistence = { readonly state: string; readonly error: string | null };

export type ServerModel = ReturnType<typeof createServerModel>;

export function createServerModel() {
  const logId = signal<string | null>(null);
  const persistence = signal<Persistence>({ state: 'saved', error: null });
  const readOnly = signal(false);
  const unauthorized = signal(false);

  return {
    /** The connected server's log, null until the first `hello`. */
    logId: logId as ReadonlySignal<string | null>,
    persistence: persistence as ReadonlySignal<Persistence>,
    readOnly: readOnly as ReadonlySignal<boolean>,
    unauthorized: unauthorized as ReadonlySignal<boolean>,

    /** A `hello`: returns true when it names another log than the one this page knew. */
    hello(log: string): boolean {
      const known = logId.peek();
      logId.value = log;
      return known !== null && known !== log;
    },
    setPersistence(next: Persistence): void {
      persistence.value = { state: next.state, error: next.error };
    },
    applyHealth(health: Health): void {
      readOnly.value = !health.can_write;
      persistence.value = { state: health.state, error: health.error };
    },
    needsToken(): void {
      unauthorized.value = true;
    },
  };
}

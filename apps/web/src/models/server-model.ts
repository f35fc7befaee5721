/**
 * What the server has told this page about itself: which label log it serves (`hello`), whether
 * labels reach the disk (`/health`, `persistence` events), whether its log is whole (what start-up
 * recovery cut, what the background history check found: `integrity`), whether it is read-only,
 * whether it needs a token (any 401), and the state of the tables it serves (`/health`,
 * `table-updated`: a table whose reload failed says why). Signals only: no effects or timers.
 */
import type { Integrity } from '@lenslet/core';
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import type { Health } from '../api.ts';
import type { TableEvent } from '../stream.ts';

export type Persistence = { readonly state: string; readonly error: string | null };

/** A served table: where it is mounted, its file name, and why its last reload failed (or null). */
export type TableState = {
  readonly prefix: string;
  readonly name: string;
  readonly error: string | null;
};

export type ServerModel = ReturnType<typeof createServerModel>;

export function createServerModel() {
  const logId = signal<string | null>(null);
  const persistence = signal<Persistence>({ state: 'saved', error: null });
  const integrity = signal<Integrity | null>(null);
  /** `at` of the recovery notice the person dismissed. */
  const dismissedRecovery = signal<string | null>(null);
  const readOnly = signal(false);
  const unauthorized = signal(false);
  const tables = signal<readonly TableState[]>([]);

  return {
    /** The connected server's log, null until the first `hello`. */
    logId: logId as ReadonlySignal<string | null>,
    persistence: persistence as ReadonlySignal<Persistence>,
    integrity: integrity as ReadonlySignal<Integrity | null>,
    /** What start-up recovery cut, until dismissed (null: nothing to tell). */
    recovery: computed(() => {
      const recovered = integrity.value?.recovered ?? null;
      return recovered && recovered.at !== dismissedRecovery.value ? recovered : null;
    }),
    readOnly: readOnly as ReadonlySignal<boolean>,
    unauthorized: unauthorized as ReadonlySignal<boolean>,
    tables: tables as ReadonlySignal<readonly TableState[]>,

    /** A `hello`: returns true when it names another log than the one this page knew. */
    hello(log: string): boolean {
      const known = logId.peek();
      logId.value = log;
      return known !== null && known !== log;
    },
    setPersistence(next: Persistence & { readonly integrity?: Integrity }): void {
      persistence.value = { state: next.state, error: next.error };
      if (next.integrity) integrity.value = next.integrity;
    },
    applyHealth(health: Health): void {
      readOnly.value = !health.can_write;
      persistence.value = { state: health.state, error: health.error };
      integrity.value = health.integrity;
      tables.value = (health.tables ?? []).map(({ prefix, name, state, error }) => ({
        prefix,
        name,
        error: state === 'error' ? error : null,
      }));
    },
    dismissRecovery(): void {
      dismissedRecovery.value = integrity.peek()?.recovered?.at ?? null;
    },
    /** A `table-updated` event: the table reloaded (its error is gone) or failed to. */
    tableUpdated(update: TableEvent): void {
      const { prefix, state, error } = update;
      const known = tables.peek().find((t) => t.prefix === prefix);
      const next = { prefix, name: known?.name ?? prefix, error: state === 'error' ? error : null };
      tables.value = [...tables.peek().filter((t) => t !== known), next];
    },
    needsToken(): void {
      unauthorized.value = true;
    },
  };
}

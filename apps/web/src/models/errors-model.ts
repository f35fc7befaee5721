/**
 * The one error reporter. Every error the app catches and does not handle comes here: details go
 * to the console, and a short notice goes to the page (the banner row) until dismissed.
 * Repeats of the same notice are counted, not stacked; only the newest few are kept.
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import { type ErrorOrigin, toNotice } from './error-notice.ts';

/** Most notices on screen at once (the oldest goes first). */
export const MAX_NOTICES = 3;

export type Notice = { readonly id: number; readonly text: string; readonly count: number };

/** Report an error caught while doing `what` ("Loading the history"). */
export type Report = (what: string, error: unknown, origin?: ErrorOrigin) => void;

export type ErrorsModel = ReturnType<typeof createErrorsModel>;

export function createErrorsModel(log: Pick<Console, 'error' | 'warn'> = console) {
  const notices = signal<readonly Notice[]>([]);
  let nextId = 1;

  const report: Report = (what, error, origin = 'action') => {
    const text = toNotice(what, error, origin);
    if (text === null) {
      // Not shown (see error-notice.ts), still worth a line for whoever debugs.
      log.warn(`lenslet: ${what}:`, error);
      return;
    }
    log.error(`lenslet: ${what}:`, error);
    const list = notices.peek();
    const same = list.find((n) => n.text === text);
    notices.value = same
      ? list.map((n) => (n === same ? { ...n, count: n.count + 1 } : n))
      : [...list, { id: nextId++, text, count: 1 }].slice(-MAX_NOTICES);
  };

  return {
    notices: notices as ReadonlySignal<readonly Notice[]>,
    report,
    dismiss(id: number): void {
      notices.value = notices.peek().filter((n) => n.id !== id);
    },
  };
}

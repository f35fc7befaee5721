/** The 503s of the log writer (log-writer.ts): what a caller whose group failed is told. */
import { LensletError } from '@lenslet/core';

/** The error code of `cause` (a Node system error), else its message. */
function what(cause: unknown): string {
  const code = (cause as { code?: string } | null)?.code;
  return code ?? String((cause as Error)?.message ?? cause);
}

/** The 503 of a write that was not saved (nothing of it is or will be in the log). */
export function persistenceUnavailable(cause: unknown): LensletError {
  return new LensletError(
    'persistence_unavailable',
    `labels cannot be saved right now (${what(cause)}); nothing was changed, try again`,
    { cause },
  );
}

/** The 503 of a failed write whose bytes could not be cut off (it may or may not be saved). */
export function unknownOutcome(cause: unknown): LensletError {
  return new LensletError(
    'persistence_unavailable',
    `labels cannot be saved right now (${what(cause)}), and the disk would not let this change be taken back, so it may or may not have been saved; retry it with the same Idempotency-Key to find out`,
    { cause },
  );
}

/**
 * How long a failed group's callers wait for its bytes to be cut off before they are told that
 * whether it was saved is not known (the disk refuses even the cut).
 */
export const UNSETTLED_ANSWER_MS = 5_000;

type Held = { readonly group: { reject(error: unknown): void }; readonly cause: unknown };

/**
 * Written groups that failed (log-writer.ts). An earlier group's fdatasync may have made their
 * bytes durable, so their callers are answered only once the file is cut back before them
 * (`settle`: nothing was saved), or, if the disk refuses the cut for UNSETTLED_ANSWER_MS or the
 * writer closes first, told that the outcome is not known (`giveUp`).
 */
export class FailedGroups {
  readonly #held = new Set<Held>();

  /** Hold `groups` (failed with `cause`) until `settle`, or `giveUp` after `ms`. */
  hold(groups: readonly Held['group'][], cause: unknown, ms = UNSETTLED_ANSWER_MS): void {
    const entries = groups.map((group) => ({ group, cause }));
    for (const entry of entries) this.#held.add(entry);
    setTimeout(() => this.giveUp(entries), ms).unref?.();
  }

  /** The file was cut back before every held group: answer them "nothing was saved". */
  settle(): void {
    for (const { group, cause } of this.#held) group.reject(persistenceUnavailable(cause));
    this.#held.clear();
  }

  /** Answer `entries` still held (default: all) "may or may not have been saved". */
  giveUp(entries: Iterable<Held> = [...this.#held]): void {
    for (const entry of entries)
      if (this.#held.delete(entry)) entry.group.reject(unknownOutcome(entry.cause));
  }
}

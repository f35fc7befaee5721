/**
 * Applying live updates and local edits to one item's labels, pure — with core's `decide` and
 * `evolve`, the same steps the server runs, so the browser has no second interpreter of a patch.
 *
 * The version rule for an `item-updated` event at version v on a loaded item:
 * local version = v − 1 → apply its changes with core's `evolve` (the same fold the server runs);
 * local version ≥ v → ignore (already have it, or newer); otherwise (a gap) → take the event's
 * full labels, which are authoritative as of v.
 */
import {
  decide,
  evolve,
  type ItemUpdate,
  type Labels,
  type Patch,
  type RecordFacts,
} from '@lenslet/core';
import { toLabels } from '../api.ts';

/** What `evolve` (and `inversePatch`) read of the record an update describes. */
export function toFacts(update: ItemUpdate): RecordFacts {
  return {
    version: update.version,
    at: update.updated_at,
    actor: update.updated_by,
    changes: update.changes,
  };
}

/** New labels for `local` after `update`, or null when the update must be ignored. */
export function applyUpdate(local: Labels, update: ItemUpdate): Labels | null {
  if (local.version >= update.version) return null;
  if (local.version === update.version - 1) return evolve(local, toFacts(update));
  return toLabels(update);
}

/** Server labels vs labels from a fetch: keep whichever is newer (fetches can race the stream). */
export function newer(local: Labels | undefined, fetched: Labels): Labels {
  return local && local.version > fetched.version ? local : fetched;
}

/**
 * What the user sees: server labels with their own unacknowledged edits on top. Each patch is
 * decided (last writer wins: the server checks conflicts for real) and evolved in order; version,
 * author, time and field versions shown stay the server's. Returns `labels` itself when the
 * pending edits change nothing.
 */
export function withPending(labels: Labels, patches: readonly Patch[]): Labels {
  let shown = labels;
  for (const patch of patches) {
    let decision: ReturnType<typeof decide>;
    try {
      decision = decide(patch, shown, { last_writer_wins: true });
    } catch {
      // Deliberately not shown: decide refuses only a patch that would pass the tag or metric
      // limit; the server refuses it the same way and the writer shows that failure.
      continue;
    }
    shown = evolve(shown, {
      version: labels.version,
      at: labels.updated_at ?? '',
      actor: labels.updated_by ?? '',
      changes: decision.changes,
    });
  }
  if (shown === labels) return labels;
  return {
    ...shown,
    updated_at: labels.updated_at,
    updated_by: labels.updated_by,
    field_versions: labels.field_versions,
  };
}

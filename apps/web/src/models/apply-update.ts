/**
 * Applying live updates and local edits to one item's labels, pure.
 *
 * The version rule for an `item-updated` event at version v on a loaded item:
 * local version = v − 1 → apply its changes with core's `evolve` (the same fold the server runs);
 * local version ≥ v → ignore (already have it, or newer); otherwise (a gap) → take the event's
 * full labels, which are authoritative as of v.
 */
import {
  type CanonicalPath,
  evolve,
  type ItemUpdate,
  type LabelRecord,
  type Labels,
  type Patch,
} from '@lenslet/core';
import { toLabels } from '../api.ts';

/** The log record an update describes (enough for `evolve` and `inversePatch`). */
export function toRecord(update: ItemUpdate): LabelRecord {
  return {
    v: 1,
    seq: update.seq,
    at: update.updated_at,
    actor: update.updated_by,
    path: update.path as CanonicalPath,
    version: update.version,
    mutation_id: update.mutation_id,
    fp: '',
    changes: update.changes,
  };
}

/** New labels for `local` after `update`, or null when the update must be ignored. */
export function applyUpdate(local: Labels, update: ItemUpdate): Labels | null {
  if (local.version >= update.version) return null;
  if (local.version === update.version - 1) return evolve(local, toRecord(update));
  return toLabels(update);
}

/** Server labels vs labels from a fetch: keep whichever is newer (fetches can race the stream). */
export function newer(local: Labels | undefined, fetched: Labels): Labels {
  return local && local.version > fetched.version ? local : fetched;
}

/**
 * What the user sees: server labels with their own unacknowledged edits on top, in the patch's
 * documented order (set_tags, remove_tags, add_tags; `set_star: null` clears). The server decides
 * for real; the version shown stays the server's.
 */
export function withPending(labels: Labels, patches: readonly Patch[]): Labels {
  let { star, notes, tags } = labels;
  for (const p of patches) {
    if (p.set_star !== undefined) star = p.set_star;
    if (p.set_notes !== undefined) notes = p.set_notes;
    if (p.set_tags) tags = p.set_tags;
    if (p.remove_tags) tags = tags.filter((t) => !p.remove_tags!.includes(t));
    if (p.add_tags) tags = [...tags, ...p.add_tags.filter((t) => !tags.includes(t))];
  }
  return star === labels.star && notes === labels.notes && tags === labels.tags
    ? labels
    : { ...labels, star, notes, tags };
}

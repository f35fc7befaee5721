/**
 * How a new edit folds into an unsent outbox entry for the same item, so one item has at most one
 * pending entry. The result means "first `earlier`, then `later`" as the user intended it:
 * - a later `set_star` / `set_notes` / `set_tags` wins;
 * - a later `set_tags` replaces every earlier tag operation;
 * - adding and removing the same tag cancel out (whichever came first);
 * - `set_metrics` merge key by key, later wins.
 * Pure; never includes `base_version` (the entry keeps its own base).
 */
import type { Patch } from '@lenslet/core';

type MutablePatch = { -readonly [K in keyof Patch]: Patch[K] };

/** 'earlier then later' as one patch. */
export function mergePatch(earlier: Patch, later: Patch): Patch {
  const out: MutablePatch = {};
  const star = later.set_star !== undefined ? later.set_star : earlier.set_star;
  if (star !== undefined) out.set_star = star;
  const notes = later.set_notes ?? earlier.set_notes;
  if (notes !== undefined) out.set_notes = notes;

  if (later.set_tags !== undefined) {
    out.set_tags = [...later.set_tags];
    if (later.remove_tags?.length) out.remove_tags = [...later.remove_tags];
    if (later.add_tags?.length) out.add_tags = [...later.add_tags];
  } else {
    let set = earlier.set_tags ? [...earlier.set_tags] : undefined;
    const add = new Set(earlier.add_tags ?? []);
    const remove = new Set(earlier.remove_tags ?? []);
    for (const tag of later.remove_tags ?? []) {
      if (add.has(tag)) add.delete(tag);
      else if (set) set = set.filter((t) => t !== tag);
      else remove.add(tag);
    }
    for (const tag of later.add_tags ?? []) {
      if (remove.has(tag)) remove.delete(tag);
      else if (set) {
        if (!set.includes(tag)) set.push(tag);
      } else add.add(tag);
    }
    if (set) out.set_tags = set;
    if (remove.size > 0) out.remove_tags = [...remove];
    if (add.size > 0) out.add_tags = [...add];
  }

  if (earlier.set_metrics || later.set_metrics) {
    out.set_metrics = { ...earlier.set_metrics, ...later.set_metrics };
  }
  return out;
}

/** True when the patch has no operation left (e.g. a tag added then removed). */
export function isEmptyPatch(patch: Patch): boolean {
  return (
    patch.set_star === undefined &&
    patch.set_notes === undefined &&
    patch.set_tags === undefined &&
    !patch.add_tags?.length &&
    !patch.remove_tags?.length &&
    (patch.set_metrics === undefined || Object.keys(patch.set_metrics).length === 0)
  );
}

/**
 * The exact inverse of a record as a patch: what "undo" sends. It expects the version the record
 * produced, so the per-field conflict rule protects anything another person changed since.
 * Tag membership is restored exactly; a re-added tag goes to the end of the list.
 */
import { assertNever } from './errors.ts';
import type { LabelRecord } from './events.ts';
import type { Patch } from './patch.ts';

/** Patch that reverts `record` on top of the image's later state. */
export function inversePatch(record: Pick<LabelRecord, 'version' | 'changes'>): Patch {
  const patch: {
    -readonly [K in keyof Patch]: Patch[K];
  } = { base_version: record.version };
  // A tags_set fixes the whole list, so its `from` alone restores the tags: the patch order
  // (set, remove, add) would otherwise replay the inverse of later tag changes on top of it.
  const replacesTags = record.changes.some((c) => c.kind === 'tags_set');
  for (const change of record.changes) {
    switch (change.kind) {
      case 'star_set':
        patch.set_star = change.from;
        break;
      case 'notes_set':
        patch.set_notes = change.from;
        break;
      case 'tags_set':
        patch.set_tags = [...change.from];
        break;
      case 'tags_added':
        if (replacesTags) break;
        patch.remove_tags = [...(patch.remove_tags ?? []), ...change.tags];
        break;
      case 'tags_removed':
        if (replacesTags) break;
        patch.add_tags = [...(patch.add_tags ?? []), ...change.tags];
        break;
      case 'metrics_set':
        patch.set_metrics = { ...patch.set_metrics, ...change.from };
        break;
      default:
        assertNever(change);
    }
  }
  return patch;
}

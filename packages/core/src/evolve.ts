/**
 * evolve: one record applied to one image's labels — the step of the one fold (`foldInto`).
 * Start-up recovery, snapshots, compaction, `lenslet replay`, history answers, the live store and
 * the browser all rebuild labels with this function and nothing else.
 */
import { assertNever } from './errors.ts';
import type { LabelRecord } from './events.ts';
import type { Labels } from './labels.ts';

/** What `evolve` reads of a record: its changes, and who made them, when, at which version. */
export type RecordFacts = Pick<LabelRecord, 'version' | 'at' | 'actor' | 'changes'>;

/** Lists up to this long are searched directly; a longer one is put in a Set first. */
const SCAN_MAX = 8;

/*
 * The lists below are built at their exact length: an array grown by `push` keeps room for ~16
 * more elements (V8: ~64 bytes), and a tag list lives as long as its image's labels — so that
 * room was held for every image, and copied out of the young generation with it.
 */

/** Whether `list` (or `set`, the same tags as a Set when the list is long) holds `tag`. */
function holds(list: readonly string[], set: ReadonlySet<string> | null, tag: string): boolean {
  return set === null ? list.includes(tag) : set.has(tag);
}

/** `tags` without those in `removing`. */
function without(tags: readonly string[], removing: readonly string[]): readonly string[] {
  const set = removing.length > SCAN_MAX ? new Set(removing) : null;
  let kept = 0;
  for (const tag of tags) if (!holds(removing, set, tag)) kept += 1;
  if (kept === tags.length) return tags.slice();
  const next = new Array<string>(kept);
  let i = 0;
  for (const tag of tags) if (!holds(removing, set, tag)) next[i++] = tag;
  return next;
}

/** `tags`, then those of `adding` it does not hold. */
function withAdded(tags: readonly string[], adding: readonly string[]): readonly string[] {
  const set = tags.length > SCAN_MAX ? new Set(tags) : null;
  let missing = 0;
  for (const tag of adding) if (!holds(tags, set, tag)) missing += 1;
  if (missing === 0) return tags.slice();
  if (missing === adding.length) return tags.concat(adding);
  return tags.concat(adding.filter((tag) => !holds(tags, set, tag)));
}

/** Apply one record to one image's labels; returns the same object when nothing changed. */
export function evolve(labels: Labels, record: RecordFacts): Labels {
  if (record.changes.length === 0) return labels;
  let { star, notes, tags } = labels;
  let metrics: Record<string, number> | null = null;
  // A new field_versions only when a field's version moves (a metrics-only record shares it).
  let moved = false;
  let { star: starVersion, notes: notesVersion, tags: tagsVersion } = labels.field_versions;
  for (const change of record.changes) {
    switch (change.kind) {
      case 'star_set':
        star = change.star;
        starVersion = record.version;
        moved = true;
        break;
      case 'notes_set':
        notes = change.notes;
        notesVersion = record.version;
        moved = true;
        break;
      case 'tags_set':
        tags = change.tags;
        tagsVersion = record.version;
        moved = true;
        break;
      case 'tags_removed':
        tags = without(tags, change.tags);
        tagsVersion = record.version;
        moved = true;
        break;
      case 'tags_added':
        tags = withAdded(tags, change.tags);
        tagsVersion = record.version;
        moved = true;
        break;
      case 'metrics_set':
        metrics ??= { ...labels.metrics };
        for (const name of Object.keys(change.metrics)) {
          const value = change.metrics[name]!;
          if (value === null) delete metrics[name];
          else metrics[name] = value;
        }
        break;
      default:
        assertNever(change);
    }
  }
  return {
    star,
    notes,
    tags,
    metrics: metrics ?? labels.metrics,
    version: record.version,
    updated_at: record.at,
    updated_by: record.actor,
    field_versions: moved
      ? { star: starVersion, notes: notesVersion, tags: tagsVersion }
      : labels.field_versions,
  };
}

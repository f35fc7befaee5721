/**
 * evolve: one record applied to one image's labels — the step of the one fold (`foldInto`).
 * Start-up recovery, snapshots, compaction, `lenslet replay`, history answers, the live store and
 * the browser all rebuild labels with this function and nothing else.
 */
import { assertNever } from './errors.ts';
import type { LabelRecord } from './events.ts';
import type { FieldVersions, Labels } from './labels.ts';

/** What `evolve` reads of a record: its changes, and who made them, when, at which version. */
export type RecordFacts = Pick<LabelRecord, 'version' | 'at' | 'actor' | 'changes'>;

/** Apply one record to one image's labels; returns the same object when nothing changed. */
export function evolve(labels: Labels, record: RecordFacts): Labels {
  if (record.changes.length === 0) return labels;
  let { star, notes, tags } = labels;
  let metrics: Record<string, number> | null = null;
  const fields: { -readonly [K in keyof FieldVersions]: number } = { ...labels.field_versions };
  for (const change of record.changes) {
    switch (change.kind) {
      case 'star_set':
        star = change.star;
        fields.star = record.version;
        break;
      case 'notes_set':
        notes = change.notes;
        fields.notes = record.version;
        break;
      case 'tags_set':
        tags = change.tags;
        fields.tags = record.version;
        break;
      case 'tags_removed': {
        const removing = new Set(change.tags);
        tags = tags.filter((t) => !removing.has(t));
        fields.tags = record.version;
        break;
      }
      case 'tags_added': {
        const present = new Set(tags);
        tags = [...tags, ...change.tags.filter((t) => !present.has(t))];
        fields.tags = record.version;
        break;
      }
      case 'metrics_set':
        metrics ??= { ...labels.metrics };
        for (const [name, value] of Object.entries(change.metrics)) {
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
    field_versions: fields,
  };
}

/**
 * decide: a validated patch + one image's current labels => the changes to record.
 *
 * Conflict rule, per field: `set_star`, `set_notes` and `set_tags` need an expected version and
 * conflict only when that field changed after it; a stale `set_*` whose value already equals the
 * current one is a no-op, not a conflict. `add_tags`, `remove_tags` and `set_metrics` commute and
 * apply on top of whatever is current. Any conflict rejects the whole patch. Pure and total.
 */
import { LensletError } from './errors.ts';
import type { Change } from './events.ts';
import { type Labels, MAX_METRICS_PER_ITEM, MAX_TAGS, sameTags } from './labels.ts';
import type { Patch } from './patch.ts';

export type DecideOptions = {
  /** The version the writer last saw (base_version / If-Match), if it sent one. */
  readonly expected_version?: number;
  /** Bulk and PUT without a version: `set_*` overwrite without a conflict check. */
  readonly last_writer_wins?: boolean;
};

export type Decision = {
  /** Changes to record, in the fixed order star, notes, tags (set, removed, added), metrics. */
  readonly changes: Change[];
  /** The expected version was stale but the patch applied on top of the current labels. */
  readonly rebased: boolean;
};

type SetField = 'star' | 'notes' | 'tags';

/** Decide what a patch changes; throws `version_conflict`, `precondition_required` or `invalid_patch`. */
export function decide(patch: Patch, labels: Labels, options: DecideOptions = {}): Decision {
  const expected = options.expected_version;
  if (expected !== undefined && expected > labels.version) {
    throw new LensletError(
      'version_conflict',
      `expected version ${expected} is newer than the current version ${labels.version}`,
      { details: { conflicting_fields: [] } },
    );
  }
  const conflicts: SetField[] = [];
  /** May `field` be overwritten? Records a conflict when it changed after the expected version. */
  const maySet = (field: SetField, op: string): boolean => {
    if (expected === undefined) {
      if (options.last_writer_wins) return true;
      throw new LensletError(
        'precondition_required',
        `${op} needs the version you last saw: send base_version or an If-Match header`,
      );
    }
    if (labels.field_versions[field] > expected) {
      conflicts.push(field);
      return false;
    }
    return true;
  };

  const changes: Change[] = [];
  if (patch.set_star !== undefined && patch.set_star !== labels.star) {
    if (maySet('star', 'set_star')) {
      changes.push({ kind: 'star_set', star: patch.set_star, from: labels.star });
    }
  }
  if (patch.set_notes !== undefined && patch.set_notes !== labels.notes) {
    if (maySet('notes', 'set_notes')) {
      changes.push({ kind: 'notes_set', notes: patch.set_notes, from: labels.notes });
    }
  }
  let tags: readonly string[] = labels.tags;
  if (patch.set_tags !== undefined && !sameTags(patch.set_tags, tags)) {
    if (maySet('tags', 'set_tags')) {
      changes.push({ kind: 'tags_set', tags: patch.set_tags, from: tags });
      tags = patch.set_tags;
    }
  }
  if (conflicts.length > 0) {
    throw new LensletError(
      'version_conflict',
      `${conflicts.join(', ')} changed after version ${expected}; nothing was applied`,
      { details: { conflicting_fields: conflicts } },
    );
  }
  if (patch.remove_tags !== undefined) {
    const removing = new Set(patch.remove_tags);
    const removed = tags.filter((t) => removing.has(t));
    if (removed.length > 0) {
      changes.push({ kind: 'tags_removed', tags: removed });
      tags = tags.filter((t) => !removing.has(t));
    }
  }
  if (patch.add_tags !== undefined) {
    const present = new Set(tags);
    const added = patch.add_tags.filter((t) => !present.has(t));
    if (added.length > 0) {
      changes.push({ kind: 'tags_added', tags: added });
      tags = [...tags, ...added];
    }
  }
  if (tags.length > MAX_TAGS) {
    throw new LensletError(
      'invalid_patch',
      `this patch would leave ${tags.length} tags on the image; the limit is ${MAX_TAGS}`,
    );
  }
  if (patch.set_metrics !== undefined) {
    const metricsChange = decideMetrics(patch.set_metrics, labels.metrics);
    if (metricsChange) changes.push(metricsChange);
  }
  const rebased = changes.length > 0 && expected !== undefined && expected < labels.version;
  return { changes, rebased };
}

function decideMetrics(
  requested: Readonly<Record<string, number | null>>,
  current: Readonly<Record<string, number>>,
): Change | null {
  const metrics: Record<string, number | null> = {};
  const from: Record<string, number | null> = {};
  let count = Object.keys(current).length;
  for (const [name, value] of Object.entries(requested)) {
    const old = Object.hasOwn(current, name) ? current[name]! : null;
    if (old === value) continue;
    metrics[name] = value;
    from[name] = old;
    if (old === null) count += 1;
    else if (value === null) count -= 1;
  }
  if (count > MAX_METRICS_PER_ITEM) {
    throw new LensletError(
      'invalid_patch',
      `this patch would leave ${count} metrics on the image; the limit is ${MAX_METRICS_PER_ITEM}`,
    );
  }
  return Object.keys(metrics).length > 0 ? { kind: 'metrics_set', metrics, from } : null;
}

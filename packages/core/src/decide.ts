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

/**
 * May `field` be overwritten? False when it changed after the expected version (a conflict);
 * throws `precondition_required` when no version was sent and the last writer does not win.
 */
function maySet(
  field: SetField,
  op: string,
  labels: Labels,
  expected: number | undefined,
  options: DecideOptions,
): boolean {
  if (expected === undefined) {
    if (options.last_writer_wins) return true;
    throw new LensletError(
      'precondition_required',
      `${op} needs the version you last saw: send base_version or an If-Match header`,
    );
  }
  return labels.field_versions[field] <= expected;
}

/** Lists up to this long are searched directly; a longer one is put in a Set first. */
const SCAN_MAX = 8;

/** `list.includes(tag)`, through `set` (a Set of the list) when there is one. */
function has(list: readonly string[], set: ReadonlySet<string> | null, tag: string): boolean {
  return set === null ? list.includes(tag) : set.has(tag);
}

const setOf = (list: readonly string[]) => (list.length > SCAN_MAX ? new Set(list) : null);

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
  const changes: Change[] = [];
  if (patch.set_star !== undefined && patch.set_star !== labels.star) {
    if (maySet('star', 'set_star', labels, expected, options)) {
      changes.push({ kind: 'star_set', star: patch.set_star, from: labels.star });
    } else conflicts.push('star');
  }
  if (patch.set_notes !== undefined && patch.set_notes !== labels.notes) {
    if (maySet('notes', 'set_notes', labels, expected, options)) {
      changes.push({ kind: 'notes_set', notes: patch.set_notes, from: labels.notes });
    } else conflicts.push('notes');
  }
  let tags: readonly string[] = labels.tags;
  if (patch.set_tags !== undefined && !sameTags(patch.set_tags, tags)) {
    if (maySet('tags', 'set_tags', labels, expected, options)) {
      changes.push({ kind: 'tags_set', tags: patch.set_tags, from: tags });
      tags = patch.set_tags;
    } else conflicts.push('tags');
  }
  if (conflicts.length > 0) {
    throw new LensletError(
      'version_conflict',
      `${conflicts.join(', ')} changed after version ${expected}; nothing was applied`,
      { details: { conflicting_fields: conflicts } },
    );
  }
  if (patch.remove_tags !== undefined && tags.length > 0) {
    const removing = patch.remove_tags;
    const set = setOf(removing);
    const removed: string[] = [];
    const kept: string[] = [];
    for (const tag of tags) (has(removing, set, tag) ? removed : kept).push(tag);
    if (removed.length > 0) {
      changes.push({ kind: 'tags_removed', tags: removed });
      tags = kept;
    }
  }
  if (patch.add_tags !== undefined) {
    const set = setOf(tags);
    const added: string[] = [];
    for (const tag of patch.add_tags) if (!has(tags, set, tag)) added.push(tag);
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
  for (const name of Object.keys(requested)) {
    const value = requested[name]!;
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

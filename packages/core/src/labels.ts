/**
 * The labels of one image. Every image starts at version 1 with empty labels and no record;
 * each accepted change adds 1. `updated_at` / `updated_by` come from the last record only.
 * `field_versions` remembers the version at which star, notes and tags were last changed
 * (0 = never), which is what the per-field conflict rule compares against.
 */

export const MAX_TAGS = 256;
export const MAX_TAG_LENGTH = 128;
export const MAX_NOTES_LENGTH = 20_000;
export const MAX_METRICS_PER_ITEM = 1024;
export const METRIC_NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export type FieldVersions = {
  readonly star: number;
  readonly notes: number;
  readonly tags: number;
};

export type Labels = {
  readonly star: number | null;
  readonly tags: readonly string[];
  readonly notes: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly version: number;
  readonly updated_at: string | null;
  readonly updated_by: string | null;
  readonly field_versions: FieldVersions;
};

/** Fields a client can label; `changed_fields` in events uses these names. */
export type LabelField = 'star' | 'tags' | 'notes' | 'metrics';

/** Labels of an image that has no record. */
export const EMPTY_LABELS: Labels = Object.freeze({
  star: null,
  tags: Object.freeze([]) as readonly string[],
  notes: '',
  metrics: Object.freeze({}),
  version: 1,
  updated_at: null,
  updated_by: null,
  field_versions: Object.freeze({ star: 0, notes: 0, tags: 0 }),
});

/** True when the image carries any label (star, tag, notes or metric). */
export function isLabeled(labels: Labels): boolean {
  return (
    labels.star !== null ||
    labels.tags.length > 0 ||
    labels.notes !== '' ||
    Object.keys(labels.metrics).length > 0
  );
}

/** Structural equality of two tag lists (order matters: tags are an ordered set). */
export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
}

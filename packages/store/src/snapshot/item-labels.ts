/**
 * The labels of one snapshot item, built the same way by both item readers (JSON.parse in
 * snapshot-codec.ts, bytes in canonical-snapshot-lines.ts): what repeats across images (tag
 * lists, names, version triples) is shared, and no tags / no metrics share one frozen empty value.
 * (The byte reader builds the same object from values it shares as it reads them.)
 */
import type { Labels } from '@lenslet/core';
import { fieldVersions, internString, internTags } from '../log/interner.ts';

export const EMPTY_TAGS: readonly string[] = Object.freeze([]);
export const EMPTY_ITEM_METRICS: Readonly<Record<string, number>> = Object.freeze({});

/** Labels from an item's checked fields; `metrics` null or `{}` means none. */
export function toLabels(
  star: number | null,
  tags: readonly string[],
  notes: string,
  metrics: Record<string, number> | null,
  version: number,
  updatedAt: string | null,
  updatedBy: string | null,
  fvStar: number,
  fvNotes: number,
  fvTags: number,
): Labels {
  return {
    star,
    tags: tags.length === 0 ? EMPTY_TAGS : internTags(tags),
    notes,
    metrics: metrics === null || isEmptyObject(metrics) ? EMPTY_ITEM_METRICS : metrics,
    version,
    updated_at: updatedAt,
    updated_by: updatedBy === null ? null : internString(updatedBy),
    field_versions: fieldVersions(fvStar, fvNotes, fvTags),
  };
}

function isEmptyObject(value: object): boolean {
  for (const _ in value) return false;
  return true;
}

/**
 * The field list of a scope (`/folders/fields`): every field of the catalog view with its kind,
 * origin, counts and range over the scope, label-only metrics last; and the same as the original
 * Lenslet's `metric_keys` / `categorical_keys` / `field_capabilities`.
 */
import {
  type CanonicalPath,
  DERIVED_FIELD,
  type FieldInfo,
  type FieldKind,
  isWithin,
  type Labels,
  parentPath,
} from '@lenslet/core';
import type { DerivedField, Scope } from '@lenslet/table';
import type { CatalogView } from '../catalog/catalog.ts';
import { fieldCapabilities } from '../original/capabilities.ts';
import { isInternalField, type LabelRows } from './label-rows.ts';

const MAX_VALUES = 100;

export type FieldListing = {
  readonly scope_total: number;
  readonly fields: FieldInfo[];
  readonly metric_keys: string[];
  readonly categorical_keys: string[];
  readonly field_capabilities: Record<string, unknown>;
};

function labelCounts(items: ReadonlyMap<CanonicalPath, Labels>, scope: Scope): Map<string, number> {
  const counts = new Map<string, number>();
  const folder = scope.folder as CanonicalPath;
  for (const [path, labels] of items) {
    const inside = scope.recursive ? isWithin(folder, path) : parentPath(path) === folder;
    if (!inside) continue;
    for (const name of Object.keys(labels.metrics)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

export function listFields(
  view: CatalogView,
  rows: LabelRows,
  items: ReadonlyMap<CanonicalPath, Labels>,
  scope: Scope,
  derived: readonly DerivedField[],
): FieldListing {
  const { engine } = view;
  const list = engine.fields(rows.metrics);
  const visible = (names: readonly string[]) => names.filter((n) => !isInternalField(n));
  const numeric = [
    ...visible(list.metrics),
    ...visible(list.numbers),
    ...derived.map((d) => d.key),
  ];
  const categorical = [...visible(list.categoricals), ...visible(list.multi)];
  const ctx = { labels: rows.metrics };
  const facets = engine.facets(
    { scope, limit: 0, derived },
    { metrics: numeric, categoricals: categorical, bins: 1 },
    ctx,
  );
  const labelled = labelCounts(items, scope);
  const total = facets.scope_total;
  const kinds = new Map<string, FieldKind>();
  for (const info of engine.table.fields) {
    if (info.role === 'path' || isInternalField(info.name)) continue;
    const column = engine.table.columns.get(info.name);
    const kind: FieldKind =
      info.role !== 'field'
        ? info.role
        : column?.kind === 'number' && column.temporal
          ? 'date'
          : 'number';
    kinds.set(info.name, kind);
  }
  for (const name of visible(list.label_metrics)) kinds.set(name, 'metric');
  for (const { key } of derived) kinds.set(key, 'metric');
  const labelOnly = new Set(list.label_metrics);
  const fields: FieldInfo[] = [];
  for (const [name, kind] of kinds) {
    const origin =
      name === DERIVED_FIELD || name.startsWith('@derived/')
        ? 'derived'
        : labelOnly.has(name)
          ? 'labels'
          : view.gallery_fields.has(name)
            ? 'gallery'
            : 'table';
    const base = { name, kind, origin, label_values: labelled.get(name) ?? 0 } as const;
    const histogram = facets.metrics[name];
    const category = facets.categoricals[name];
    if (histogram) {
      fields.push({
        ...base,
        present: histogram.count,
        missing: total - histogram.count,
        min: histogram.min,
        max: histogram.max,
        distinct: null,
        sortable: true,
        filterable: true,
        searchable: false,
      });
    } else if (category) {
      const missing = category.missing;
      fields.push({
        ...base,
        present: total - missing,
        missing,
        min: null,
        max: null,
        distinct: category.values.length,
        values: category.values.slice(0, MAX_VALUES).map((v) => v.value),
        sortable: kind !== 'multi',
        filterable: true,
        searchable: false,
      });
    } else {
      const present = engine.query(
        { scope, filters: [{ kind: 'present', field: name }], limit: 0 },
        ctx,
      ).filtered_total;
      fields.push({
        ...base,
        present,
        missing: total - present,
        min: null,
        max: null,
        distinct: null,
        sortable: true,
        filterable: true,
        searchable: true,
      });
    }
  }
  const metricKeys = fields
    .filter((f) => f.kind === 'metric')
    .map((f) => f.name)
    .sort();
  const categoricalKeys = fields
    .filter((f) => f.kind === 'categorical')
    .map((f) => f.name)
    .sort();
  return {
    scope_total: total,
    fields,
    metric_keys: metricKeys,
    categorical_keys: categoricalKeys,
    field_capabilities: fieldCapabilities(metricKeys, categoricalKeys),
  };
}

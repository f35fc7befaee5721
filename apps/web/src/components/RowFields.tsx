/**
 * Every field of the focused item's row (`/item/detail`: table columns, gallery columns) with its
 * label metrics; a label metric overrides the table value of the same name and is marked so.
 * Ordered as the field list (`/folders/fields`), label-only metrics after.
 */
import type { CanonicalPath, FieldValue } from '@lenslet/core';
import { formatValue } from '../format.ts';
import { useApp } from './context.ts';

export function RowFields({
  path,
  labelMetrics,
}: {
  path: CanonicalPath;
  labelMetrics: Readonly<Record<string, number>>;
}) {
  const app = useApp();
  const row = app.inspect.of(path)?.row;
  const known = app.metrics.fields.value;
  const values: Record<string, FieldValue> = { ...row?.fields, ...labelMetrics };
  const order = new Map(known.map((f, i) => [f.name, i]));
  const names = Object.keys(values).sort(
    (a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || a.localeCompare(b),
  );
  if (names.length === 0) return null;
  return (
    <section>
      <h3>Fields</h3>
      <table class="kv fields">
        <tbody>
          {names.map((name) => {
            const label = name in labelMetrics;
            const overrides = label && known.some((f) => f.name === name && f.origin === 'table');
            const v = values[name];
            return (
              <tr key={name} class={v === null ? 'none' : ''}>
                <td title={name}>{name}</td>
                <td>
                  <span class="fval">{formatValue(v)}</span>
                  {label && (
                    <span
                      class="lbl"
                      title={
                        overrides
                          ? 'A label metric: it overrides the value in the table'
                          : 'A label metric (written through the API)'
                      }
                    >
                      {overrides ? 'label · overrides table' : 'label'}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The metrics panel (beside the grid when the scope has metrics or categorical fields): the
 * derived-score editor, which field cards show, then one histogram per metric (the derived
 * score's first) and the value chips of each categorical field — all counted under the view's
 * other filters (metrics-model). Brushes, chips and the formula live in the view (URL, saved
 * views).
 */
import { DERIVED_FIELD, type FieldInfo } from '@lenslet/core';
import { formatCount } from '../format.ts';
import { fieldFilterCount, NO_FIELD_FILTERS } from '../models/field-filters.ts';
import { Categories } from './Categories.tsx';
import { useApp } from './context.ts';
import { FormulaEditor } from './FormulaEditor.tsx';
import { Histogram } from './Histogram.tsx';

/** Fields with facets: metrics get a histogram, categoricals and lists value chips. */
export const hasFacets = (fields: readonly FieldInfo[]) =>
  fields.some((f) => f.kind === 'metric' || f.kind === 'categorical' || f.kind === 'multi');

export function MetricsPanel() {
  const app = useApp();
  const view = app.view.value;
  const fields = app.metrics.fields.value;
  const facets = app.metrics.facets.value;
  const metrics = fields.filter((f) => f.kind === 'metric').map((f) => f.name);
  const cats = fields.filter((f) => f.kind === 'categorical' || f.kind === 'multi');
  const filtered = fieldFilterCount(view);
  const derived = view.formula ? facets?.histograms[DERIVED_FIELD] : undefined;
  return (
    <aside class="metrics" aria-label="Metrics">
      <div class="mtop">
        <h3>Metrics</h3>
        {facets && (
          <span class="dim small">
            {formatCount(facets.filtered_total)} of {formatCount(facets.scope_total)}
          </span>
        )}
        {filtered > 0 && (
          <button type="button" class="link" onClick={() => app.navigate(NO_FIELD_FILTERS)}>
            Clear {filtered}
          </button>
        )}
      </div>
      <FormulaEditor names={metrics} />
      <label class="field show-on-cards">
        <span>Cards show</span>
        <select
          value={view.show}
          onChange={(e) => app.navigate({ show: (e.currentTarget as HTMLSelectElement).value })}
        >
          <option value="">the sort field</option>
          {view.formula && <option value={DERIVED_FIELD}>derived score</option>}
          {fields
            .filter((f) => f.kind !== 'text')
            .map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
              </option>
            ))}
        </select>
      </label>
      {!facets && <p class="dim small">Loading…</p>}
      {derived && <Histogram field={DERIVED_FIELD} label="derived score" h={derived} />}
      {facets &&
        metrics.map((name) => {
          const h = facets.histograms[name];
          return h ? <Histogram key={name} field={name} label={name} h={h} /> : null;
        })}
      {facets &&
        cats.map(({ name }) => {
          const c = facets.categories[name];
          return c ? <Categories key={name} field={name} facet={c} /> : null;
        })}
    </aside>
  );
}

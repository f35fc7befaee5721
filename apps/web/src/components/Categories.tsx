/**
 * One categorical field's values with their counts (under every other filter) as chips: a click
 * includes the value, a second excludes it, a third forgets it. The first dozen values show; the
 * rest on demand.
 */
import type { CategoryFacet } from '@lenslet/core';
import { useSignal } from '@preact/signals';
import { formatCount } from '../format.ts';
import { chipState, cycleChip, withKey } from '../models/field-filters.ts';
import { useApp } from './context.ts';
import { MissingToggle } from './MissingToggle.tsx';

const FIRST = 12;

export function Categories({ field, facet }: { field: string; facet: CategoryFacet }) {
  const app = useApp();
  const all = useSignal(false);
  const view = app.view.value;
  const own = view.values[field];
  const shown = all.value ? facet.values : facet.values.slice(0, FIRST);
  return (
    <div class={`metric cat${own ? ' brushed' : ''}`} data-field={field}>
      <div class="mhead">
        <span class="mname" title={field}>
          {field}
        </span>
        {own && (
          <button
            type="button"
            class="x"
            title={`Clear the ${field} filter`}
            onClick={() => app.navigate({ values: withKey(view.values, field, null) })}
          >
            ×
          </button>
        )}
      </div>
      <div class="vchips">
        {shown.map(({ value, count }) => {
          const state = chipState(own, value);
          return (
            <button
              type="button"
              key={value}
              class={`vchip${state ? ` ${state}` : ''}`}
              aria-pressed={state === 'in'}
              title={
                state === 'in'
                  ? 'Included — click to exclude'
                  : state === 'out'
                    ? 'Excluded — click to forget'
                    : 'Click to include, twice to exclude'
              }
              onClick={() =>
                app.navigate({ values: withKey(view.values, field, cycleChip(own, value)) })
              }
            >
              {value || '(empty)'}
              <span class="n">{formatCount(count)}</span>
            </button>
          );
        })}
        {facet.values.length > FIRST && (
          <button
            type="button"
            class="link"
            onClick={() => {
              all.value = !all.value;
            }}
          >
            {all.value ? 'fewer' : `+${facet.values.length - FIRST} more`}
          </button>
        )}
      </div>
      <div class="mcounts">
        <MissingToggle field={field} missing={facet.missing} />
      </div>
    </div>
  );
}

/**
 * A field's missing values (null or NaN), counted apart; a click cycles the filter: any → only
 * missing → only present → any. Hidden when the field has none and no such filter is set.
 */
import { formatCount } from '../format.ts';
import { cycleHas, withKey } from '../models/field-filters.ts';
import { useApp } from './context.ts';

const TEXT = { missing: 'only missing', present: 'hide missing' } as const;

export function MissingToggle({ field, missing }: { field: string; missing: number }) {
  const app = useApp();
  const view = app.view.value;
  const state = view.has[field];
  if (missing === 0 && !state) return null;
  return (
    <button
      type="button"
      class={`miss${state ? ' on' : ''}`}
      title="Rows without a value: click for only those, again to hide them, again for all"
      onClick={() => app.navigate({ has: withKey(view.has, field, cycleHas(state)) })}
    >
      {formatCount(missing)} missing{state ? ` · ${TEXT[state]}` : ''}
    </button>
  );
}

/**
 * Filters of the view: stars (with counts, incl. unrated), tags any/all/none, notes, name,
 * dimensions, who edited and since when (metrics and table fields: the metrics panel). Text fields apply on Enter or blur.
 */
import type { StarKey } from '../api.ts';
import { NO_FILTERS, type ViewState } from '../models/view-state.ts';
import { useApp } from './context.ts';

const list = (s: string) =>
  s
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
const num = (s: string) => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));

function Field(props: {
  label: string;
  value: string;
  apply: (value: string) => void;
  placeholder?: string;
  type?: string;
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.apply((e.currentTarget as HTMLInputElement).value)}
      />
    </label>
  );
}

/** A min–max pair of number fields; an empty field drops that bound. */
function Range(props: {
  label: string;
  value: { min?: number; max?: number };
  apply: (r: { min?: number; max?: number }) => void;
}) {
  const set = (key: 'min' | 'max', v: string) => {
    const next = { ...props.value };
    const n = num(v);
    if (n === undefined) delete next[key];
    else next[key] = n;
    props.apply(next);
  };
  return (
    <>
      <Field
        label={`${props.label} ≥`}
        value={String(props.value.min ?? '')}
        apply={(v) => set('min', v)}
      />
      <Field label="≤" value={String(props.value.max ?? '')} apply={(v) => set('max', v)} />
    </>
  );
}

export function FilterPanel() {
  const app = useApp();
  const view = app.view.value;
  const facets = app.listing.facets.value.star;
  const go = (next: Partial<ViewState>) => app.navigate(next);
  const toggleStar = (s: number | null) =>
    go({ stars: view.stars.includes(s) ? view.stars.filter((x) => x !== s) : [...view.stars, s] });
  return (
    <div class="filters">
      <div class="frow">
        <span class="flabel">Rating</span>
        {([null, 0, 1, 2, 3, 4, 5] as const).map((s) => (
          <button
            type="button"
            key={String(s)}
            class={`fchip${view.stars.includes(s) ? ' on' : ''}`}
            onClick={() => toggleStar(s)}
          >
            {s === null ? 'Unrated' : s === 0 ? '0' : `${s}★`}
            <span class="dim"> {facets[String(s) as StarKey] ?? 0}</span>
          </button>
        ))}
      </div>
      <div class="frow">
        <Field
          label="Tags: any of"
          value={view.tagsAny.join(', ')}
          apply={(v) => go({ tagsAny: list(v) })}
          placeholder="cat, dog"
        />
        <Field
          label="all of"
          value={view.tagsAll.join(', ')}
          apply={(v) => go({ tagsAll: list(v) })}
        />
        <Field
          label="none of"
          value={view.tagsNone.join(', ')}
          apply={(v) => go({ tagsNone: list(v) })}
        />
      </div>
      <div class="frow">
        <Field label="Notes contain" value={view.notes} apply={(v) => go({ notes: v.trim() })} />
        <Field label="Name contains" value={view.name} apply={(v) => go({ name: v.trim() })} />
        <Field
          label="Edited by"
          value={view.by.join(', ')}
          apply={(v) => go({ by: list(v) })}
          placeholder="ana, ben"
        />
        <Field
          label="Edited since"
          type="date"
          value={view.since.slice(0, 10)}
          apply={(v) => go({ since: v })}
        />
      </div>
      <div class="frow">
        <Range label="Width" value={view.width} apply={(width) => go({ width })} />
        <Range label="Height" value={view.height} apply={(height) => go({ height })} />
      </div>
      <div class="frow">
        <button type="button" onClick={() => go(NO_FILTERS)}>
          Clear filters
        </button>
        <SaveView />
      </div>
    </div>
  );
}

function SaveView() {
  const app = useApp();
  return (
    <form
      class="save-view"
      onSubmit={(e) => {
        e.preventDefault();
        const input = (e.currentTarget as HTMLFormElement).elements.namedItem(
          'name',
        ) as HTMLInputElement;
        if (input.value.trim()) void app.saveView(input.value.trim());
        input.value = '';
      }}
    >
      <input name="name" placeholder="Save this view as…" maxLength={80} />
      <button type="submit">Save</button>
    </form>
  );
}

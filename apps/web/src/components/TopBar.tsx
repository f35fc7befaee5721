/** Breadcrumb, search, view controls, and the collaboration status (presence, connection, sync). */
import { type CanonicalPath, DERIVED_FIELD, type FieldInfo } from '@lenslet/core';
import { useSignal, useSignalEffect } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { formatCount } from '../format.ts';
import { fieldFilterCount } from '../models/field-filters.ts';
import { activeFilterCount, defaultDir, type SortKey } from '../models/view-state.ts';
import { useApp } from './context.ts';
import { useFocusable } from './hooks.ts';
import { hasFacets } from './MetricsPanel.tsx';
import { ConnectionStatus, PresencePill, SyncIndicator } from './Status.tsx';

export function TopBar() {
  const app = useApp();
  const view = app.view.value;
  const parts = view.folder.split('/').filter(Boolean);
  return (
    <header class="topbar">
      <nav class="crumbs" aria-label="Folder">
        <button
          type="button"
          class="crumb root"
          onClick={() => app.openFolder('/' as CanonicalPath)}
        >
          Lenslet
        </button>
        {parts.map((name, i) => (
          <span key={i}>
            <span class="sep">/</span>
            <button
              type="button"
              class="crumb"
              onClick={() => app.openFolder(`/${parts.slice(0, i + 1).join('/')}` as CanonicalPath)}
            >
              {name}
            </button>
          </span>
        ))}
        <span class="count">
          {formatCount(app.listing.total.value)}
          {app.listing.total.value !== app.listing.scopeTotal.value &&
            ` of ${formatCount(app.listing.scopeTotal.value)}`}
        </span>
      </nav>
      <Search />
      <div class="tools">
        <button
          type="button"
          class={app.ui.filters.value ? 'on' : ''}
          onClick={() => app.ui.toggle('filters')}
          title="Filters"
        >
          Filters
          {activeFilterCount(view) > 0 && <span class="pill-n">{activeFilterCount(view)}</span>}
        </button>
        <MetricsButton />
        <label class="check" title="Include subfolders">
          <input
            type="checkbox"
            checked={view.recursive}
            onChange={(e) =>
              app.navigate({ recursive: (e.currentTarget as HTMLInputElement).checked })
            }
          />
          Subfolders
        </label>
        <SortControl />
        <div class="seg">
          {(['grid', 'rows'] as const).map((l) => (
            <button
              type="button"
              key={l}
              class={app.preferences.layout.value === l ? 'on' : ''}
              onClick={() => app.preferences.setLayout(l)}
              title={l === 'grid' ? 'Grid' : 'Justified rows'}
            >
              {l === 'grid' ? '▦' : '▤'}
            </button>
          ))}
        </div>
        <input
          type="range"
          class="size"
          min={80}
          max={480}
          step={10}
          value={app.preferences.size.value}
          aria-label="Thumbnail size"
          onInput={(e) =>
            app.preferences.setSize(Number((e.currentTarget as HTMLInputElement).value))
          }
        />
        <ExportMenu />
      </div>
      <div class="status">
        <PresencePill />
        <ConnectionStatus />
        <SyncIndicator />
        <button
          type="button"
          class={`user${app.identity.name.value ? '' : ' unnamed'}`}
          title={
            app.identity.name.value
              ? 'Your name (shown to collaborators) — click to change'
              : `Your changes are recorded as ${app.identity.session} — click to set your name`
          }
          onClick={() => app.identity.prompt()}
        >
          {app.identity.name.value ?? 'Set your name'}
        </button>
        <button
          type="button"
          class="help"
          title="Keyboard shortcuts (?)"
          onClick={() => app.ui.setOpen('shortcuts', true)}
        >
          ?
        </button>
      </div>
    </header>
  );
}

function Search() {
  const app = useApp();
  const input = useRef<HTMLInputElement>(null);
  const text = useSignal(app.view.value.q);
  useSignalEffect(() => {
    text.value = app.view.value.q;
  });
  useFocusable('search', () => input.current?.select());
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (
    <input
      ref={input}
      class="search"
      type="search"
      placeholder="Search names, tags, notes… (/)"
      value={text.value}
      onInput={(e) => {
        text.value = (e.currentTarget as HTMLInputElement).value;
        clearTimeout(timer);
        timer = setTimeout(() => app.navigate({ q: text.peek() }), 300);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') app.navigate({ q: text.value });
        if (e.key === 'Escape') input.current?.blur();
      }}
    />
  );
}

/** The metrics panel's switch, shown when the scope has metrics or categorical fields. */
function MetricsButton() {
  const app = useApp();
  if (!hasFacets(app.metrics.fields.value)) return null;
  const n = fieldFilterCount(app.view.value);
  return (
    <button
      type="button"
      class={app.preferences.metrics.value ? 'on' : ''}
      onClick={() => app.preferences.toggleMetrics()}
      title="Metrics: histograms, categories, derived score"
    >
      Metrics
      {n > 0 && <span class="pill-n">{n}</span>}
    </button>
  );
}

/** Sort by a built-in order, the derived score, the table's order, or any sortable field. */
function SortControl() {
  const app = useApp();
  const view = app.view.value;
  const fields = app.metrics.fields.value.filter((f) => f.sortable);
  const metrics = fields.filter((f) => f.kind === 'metric');
  const others = fields.filter((f) => f.kind !== 'metric');
  const option = (f: FieldInfo) => (
    <option key={f.name} value={`metric:${f.name}`}>
      {f.name}
    </option>
  );
  const known = new Set(fields.map((f) => `metric:${f.name}`));
  const orphan =
    view.sort.startsWith('metric:') &&
    view.sort !== `metric:${DERIVED_FIELD}` &&
    !known.has(view.sort);
  return (
    <span class="sort">
      <select
        aria-label="Sort"
        value={view.sort}
        onChange={(e) => {
          const sort = (e.currentTarget as HTMLSelectElement).value as SortKey;
          app.navigate({
            sort,
            dir: defaultDir(sort),
            seed: sort === 'random' ? Math.floor(Math.random() * 1e9) : view.seed,
          });
        }}
      >
        <option value="name">Name</option>
        <option value="added">Added</option>
        <option value="star">Rating</option>
        <option value="updated_at">Last edited</option>
        <option value="random">Random</option>
        {fields.some((f) => f.origin === 'table') && <option value="row">Table order</option>}
        {view.formula && <option value={`metric:${DERIVED_FIELD}`}>Derived score</option>}
        {orphan && <option value={view.sort}>{view.sort.slice(7)}</option>}
        {metrics.length > 0 && <optgroup label="Metrics">{metrics.map(option)}</optgroup>}
        {others.length > 0 && <optgroup label="Fields">{others.map(option)}</optgroup>}
      </select>
      {view.sort !== 'random' && (
        <button
          type="button"
          title={view.dir === 'asc' ? 'Ascending' : 'Descending'}
          onClick={() => app.navigate({ dir: view.dir === 'asc' ? 'desc' : 'asc' })}
        >
          {view.dir === 'asc' ? '↑' : '↓'}
        </button>
      )}
    </span>
  );
}

function ExportMenu() {
  const app = useApp();
  return (
    <span class="export">
      <select
        aria-label="Export"
        value=""
        onChange={(e) => {
          const el = e.currentTarget as HTMLSelectElement;
          const f = el.value as 'csv' | 'json';
          el.value = '';
          if (f) void app.exportScope(f);
        }}
      >
        <option value="">Export…</option>
        <option value="csv">CSV of this view</option>
        <option value="json">JSON of this view</option>
      </select>
    </span>
  );
}

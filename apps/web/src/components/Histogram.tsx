/**
 * One metric's histogram with a brush: drag across the bars to select a range of bins (pointer
 * events, captured, so the drag may leave the plot); the two handles (BrushHandle) are sliders
 * for the keyboard. The bars show the counts under every other filter, the brushed part
 * brighter; counts in and out of the brush and the missing values (a toggle: only missing, only
 * present) below. Plain SVG, no library.
 */
import type { Histogram as HistogramData } from '@lenslet/core';
import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import type { Range } from '../api.ts';
import { formatCount, formatValue } from '../format.ts';
import { type BinGrid, binAt, brushCounts, brushSpan, rangeOfBins } from '../models/brush.ts';
import { withKey } from '../models/field-filters.ts';
import { BrushHandle } from './BrushHandle.tsx';
import { useApp } from './context.ts';
import { MissingToggle } from './MissingToggle.tsx';

/** Bars as one SVG path in bin units (x: bin, y: 0 top … 1 bottom); empty bins draw nothing. */
function bars(counts: readonly number[], top: number): string {
  let d = '';
  counts.forEach((c, i) => {
    if (c > 0) d += `M${i + 0.08} 1V${(1 - Math.max(c / top, 0.03)).toFixed(3)}h0.84V1z`;
  });
  return d;
}

export function Histogram({ field, label, h }: { field: string; label: string; h: HistogramData }) {
  const app = useApp();
  const plot = useRef<HTMLDivElement>(null);
  /** A drag in progress: the bin it started at (or the fixed end) and the bin under the pointer. */
  const drag = useSignal<{ a: number; b: number } | null>(null);
  const view = app.view.value;
  const own = view.ranges[field];
  if (h.min === null || h.max === null || h.bins.length === 0) {
    return (
      <div class="metric" data-field={field}>
        <div class="mhead">
          <span class="mname">{label}</span>
          <span class="mrange dim">no values</span>
        </div>
        <MissingToggle field={field} missing={h.missing.null + h.missing.nan} />
      </div>
    );
  }
  const g: BinGrid = { min: h.min, max: h.max, n: h.bins.length };
  const d = drag.value;
  const shownRange = d ? rangeOfBins(g, d.a, d.b) : (own ?? null);
  const commit = (r: Range | null) => app.navigate({ ranges: withKey(view.ranges, field, r) });
  const binOf = (e: PointerEvent) => {
    const box = plot.current!.getBoundingClientRect();
    return binAt(g, (e.clientX - box.left) / box.width);
  };
  const start = (e: PointerEvent, fixed?: number) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    plot.current!.setPointerCapture(e.pointerId);
    const b = binOf(e);
    drag.value = { a: fixed ?? b, b };
  };
  const [from, to] = shownRange ? brushSpan(g, shownRange) : [0, 1];
  const top = Math.max(1, ...h.bins);
  const counts = brushCounts(h);
  const handle = (end: 'min' | 'max') => (
    <BrushHandle
      end={end}
      label={label}
      g={g}
      at={end === 'min' ? from : to}
      value={shownRange?.[end] ?? (end === 'min' ? g.min : g.max)}
      own={own}
      commit={commit}
      onDragStart={(e) => {
        // Dragging a handle moves that end; the other stays where it is.
        const lo = Math.round(from * g.n);
        const hi = Math.round(to * g.n) - 1;
        start(e, end === 'min' ? hi : lo);
      }}
    />
  );
  return (
    <div class={`metric${own ? ' brushed' : ''}`} data-field={field}>
      <div class="mhead">
        <span class="mname" title={field}>
          {label}
        </span>
        <span class="mrange">
          {shownRange
            ? `${formatValue(shownRange.min ?? h.min)} – ${formatValue(shownRange.max ?? h.max)}`
            : ''}
        </span>
        {own && (
          <button
            type="button"
            class="x"
            title={`Clear the ${label} range`}
            onClick={() => commit(null)}
          >
            ×
          </button>
        )}
      </div>
      <div
        class="hist"
        ref={plot}
        onPointerDown={(e) => start(e)}
        onPointerMove={(e) => {
          if (drag.value) drag.value = { a: drag.value.a, b: binOf(e) };
        }}
        onPointerUp={() => {
          const done = drag.value;
          drag.value = null;
          if (!done) return;
          const next = rangeOfBins(g, done.a, done.b);
          // A click on the one bin already brushed clears it.
          commit(JSON.stringify(next) === JSON.stringify(own) && done.a === done.b ? null : next);
        }}
        onPointerCancel={() => {
          drag.value = null;
        }}
      >
        <svg viewBox={`0 0 ${g.n} 1`} preserveAspectRatio="none" aria-hidden="true">
          <path class={shownRange ? 'bar-out' : 'bar'} d={bars(h.bins, top)} />
          {shownRange && !d && <path class="bar" d={bars(h.selected, top)} />}
          {shownRange && (
            <rect class="brush" x={from * g.n} width={(to - from) * g.n} y="0" height="1" />
          )}
        </svg>
        {handle('min')}
        {handle('max')}
      </div>
      <div class="maxis">
        <span>{formatValue(h.min)}</span>
        <span>{formatValue(h.max)}</span>
      </div>
      <div class="mcounts">
        {own ? (
          <span>
            <b>{formatCount(counts.inside)}</b> in · {formatCount(counts.outside)} out
          </span>
        ) : (
          <span>{formatCount(h.count)} with a value</span>
        )}
        <MissingToggle field={field} missing={counts.missing} />
      </div>
    </div>
  );
}

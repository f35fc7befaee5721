/**
 * The virtualized grid: only rows in (or near) the viewport are in the DOM, so 100,000 items
 * cost the same as 100. Pages of the listing are fetched as they scroll into view. Uniform grid
 * or justified rows; the focused card is kept in view when the keyboard moves it.
 */
import type { CanonicalPath } from '@lenslet/core';
import { useComputed, useSignal, useSignalEffect } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { GAP_PX, gridLayout, rowOf, rowsLayout, visibleRows } from '../models/layout.ts';
import { Card } from './Card.tsx';
import { useApp } from './context.ts';

const OVERSCAN_PX = 600;

export function Grid() {
  const app = useApp();
  const { listing, ui, preferences, selection, items } = app;
  const scroller = useRef<HTMLDivElement>(null);
  const width = useSignal(0);
  const viewport = useSignal({ top: 0, height: 800 });

  useEffect(() => {
    const el = scroller.current!;
    const ro = new ResizeObserver(() => {
      width.value = el.clientWidth - 2 * GAP_PX;
      viewport.value = { top: el.scrollTop, height: el.clientHeight };
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const layout = useComputed(() => {
    listing.revision.value;
    const n = listing.total.value;
    const w = Math.max(100, width.value);
    if (preferences.layout.value === 'grid') return gridLayout(n, w, preferences.size.value);
    return rowsLayout(n, w, preferences.size.value, (i) => {
      const path = listing.at(i);
      const meta = path ? items.get(path)?.meta.peek() : null;
      return meta?.width && meta.height ? meta.width / meta.height : 1.5;
    });
  });

  useSignalEffect(() => ui.setColumns(layout.value.columns));

  const range = useComputed(() => {
    const { top, height } = viewport.value;
    return visibleRows(layout.value.rows, top - OVERSCAN_PX, top + height + OVERSCAN_PX);
  });

  useSignalEffect(() => {
    const rows = layout.value.rows;
    const [first, last] = range.value;
    if (rows.length === 0) return;
    listing.ensure(rows[first]!.start, rows[last]!.end + 200);
  });

  // Keep the focused card visible when it moves (keyboard, viewer, "Show"). Runs only when the
  // focus changes, and reads layout in the next frame so it never forces an extra layout.
  const shown = useRef<string | null>(null);
  useSignalEffect(() => {
    const path = selection.focus.value;
    if (!path || path === shown.current) return;
    shown.current = path;
    requestAnimationFrame(() => {
      const el = scroller.current;
      const row = rowOf(layout.peek().rows, listing.indexOf(path));
      if (!el || !row) return;
      if (row.top < el.scrollTop) el.scrollTop = row.top;
      else if (row.top + row.height > el.scrollTop + el.clientHeight) {
        el.scrollTop = row.top + row.height - el.clientHeight + GAP_PX;
      }
    });
  });

  const onScroll = () => {
    const el = scroller.current!;
    viewport.value = { top: el.scrollTop, height: el.clientHeight };
  };

  const { rows, height, widthOf } = layout.value;
  const [first, last] = range.value;
  const cards = useMemo(() => {
    const out: { i: number; x: number; y: number; w: number; h: number }[] = [];
    for (let r = first; r <= last && r < rows.length; r++) {
      const row = rows[r]!;
      let x = GAP_PX;
      for (let i = row.start; i < row.end; i++) {
        const w = widthOf(i);
        out.push({ i, x, y: row.top + GAP_PX, w, h: row.height });
        x += w + GAP_PX;
      }
    }
    return out;
  }, [layout.value, first, last]);

  const empty = !listing.loading.value && listing.total.value === 0;
  return (
    <div class="grid" ref={scroller} onScroll={onScroll} tabIndex={-1}>
      <div class="grid-sizer" style={{ height: `${height + GAP_PX}px` }}>
        {cards.map((c) => (
          <Card
            key={c.i}
            index={c.i}
            path={listing.at(c.i) as CanonicalPath | undefined}
            x={c.x}
            y={c.y}
            w={c.w}
            h={c.h}
          />
        ))}
      </div>
      {empty && (
        <div class="empty">
          {listing.error.value
            ? `Could not load this folder: ${listing.error.value}`
            : listing.scopeTotal.value > 0
              ? 'No images match these filters.'
              : 'No images in this folder.'}
        </div>
      )}
    </div>
  );
}

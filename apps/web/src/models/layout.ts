/**
 * Grid geometry, pure: where each card goes for the uniform grid and the justified rows layout,
 * and which rows a scroll position shows. Only visible rows are rendered (bounded DOM nodes).
 */

export const GAP_PX = 6;
export const CAPTION_PX = 40;

export type Row = {
  readonly start: number;
  readonly end: number;
  readonly top: number;
  readonly height: number;
};

export type Layout = {
  readonly rows: readonly Row[];
  readonly height: number;
  readonly columns: number;
  /** Width of item i inside its row (justified) or the cell width (grid). */
  widthOf(i: number): number;
};

/** Uniform grid: columns from the target size, cells stretched to fill the width. */
export function gridLayout(count: number, width: number, size: number): Layout {
  const columns = Math.max(1, Math.floor((width + GAP_PX) / (size + GAP_PX)));
  const cell = Math.max(40, (width - GAP_PX * (columns - 1)) / columns);
  const rowHeight = cell + CAPTION_PX;
  const rows: Row[] = [];
  const n = Math.ceil(count / columns);
  for (let r = 0; r < n; r++) {
    rows.push({
      start: r * columns,
      end: Math.min(count, (r + 1) * columns),
      top: r * (rowHeight + GAP_PX),
      height: rowHeight,
    });
  }
  return { rows, height: n * (rowHeight + GAP_PX), columns, widthOf: () => cell };
}

/**
 * Justified rows: images keep their aspect ratio, each row is scaled to fill the width exactly
 * (the last row keeps the target height). `aspect(i)` is width/height (unknown: 1.5).
 */
export function rowsLayout(
  count: number,
  width: number,
  size: number,
  aspect: (i: number) => number,
): Layout {
  const rows: Row[] = [];
  const widths = new Float32Array(count);
  let top = 0;
  let start = 0;
  let sum = 0;
  let widest = 1;
  const close = (end: number, fill: boolean) => {
    const gaps = GAP_PX * (end - start - 1);
    const h = fill ? Math.max(40, (width - gaps) / sum) : size;
    for (let i = start; i < end; i++) widths[i] = Math.min(width, clampAspect(aspect(i)) * h);
    rows.push({ start, end, top, height: h + CAPTION_PX });
    widest = Math.max(widest, end - start);
    top += h + CAPTION_PX + GAP_PX;
    start = end;
    sum = 0;
  };
  for (let i = 0; i < count; i++) {
    sum += clampAspect(aspect(i));
    if (sum * size + GAP_PX * (i - start) >= width) close(i + 1, true);
  }
  if (start < count) close(count, false);
  return { rows, height: top, columns: widest, widthOf: (i) => widths[i] ?? size };
}

function clampAspect(a: number): number {
  return Number.isFinite(a) && a > 0 ? Math.min(4, Math.max(0.25, a)) : 1.5;
}

/** Rows overlapping [top, bottom] (binary search), as a [first, last] index range. */
export function visibleRows(rows: readonly Row[], top: number, bottom: number): [number, number] {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.top + rows[mid]!.height < top) lo = mid + 1;
    else hi = mid;
  }
  let last = lo;
  while (last + 1 < rows.length && rows[last + 1]!.top <= bottom) last++;
  return [lo, last];
}

/** The row holding item i. */
export function rowOf(rows: readonly Row[], i: number): Row | undefined {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid]!;
    if (i < r.start) hi = mid - 1;
    else if (i >= r.end) lo = mid + 1;
    else return r;
  }
  return undefined;
}

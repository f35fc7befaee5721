import { expect, test } from 'vitest';
import { CAPTION_PX, GAP_PX, gridLayout, rowOf, rowsLayout, visibleRows } from './layout.ts';

test('the grid fits whole columns and stretches cells to the width', () => {
  const l = gridLayout(10, 1000, 180);
  expect(l.columns).toBe(5);
  const cell = (1000 - 4 * GAP_PX) / 5;
  expect(l.widthOf(0)).toBeCloseTo(cell);
  expect(l.rows).toHaveLength(2);
  expect(l.rows[1]).toMatchObject({ start: 5, end: 10, top: cell + CAPTION_PX + GAP_PX });
});

test('justified rows fill the width exactly, keeping aspect ratios', () => {
  const aspects = [1.5, 0.75, 1, 2, 1.5, 1.5, 1];
  const l = rowsLayout(aspects.length, 1000, 200, (i) => aspects[i]!);
  for (const row of l.rows.slice(0, -1)) {
    let w = GAP_PX * (row.end - row.start - 1);
    for (let i = row.start; i < row.end; i++) w += l.widthOf(i);
    expect(w).toBeCloseTo(1000, 0);
    const h = row.height - CAPTION_PX;
    for (let i = row.start; i < row.end; i++) expect(l.widthOf(i) / h).toBeCloseTo(aspects[i]!, 1);
  }
});

test('only rows in view are visible, found by binary search', () => {
  const l = gridLayout(100_000, 1000, 180);
  const rowH = l.rows[0]!.height + GAP_PX;
  const [first, last] = visibleRows(l.rows, 5_000 * rowH, 5_000 * rowH + 800);
  expect(first).toBe(5_000);
  expect(last - first).toBeLessThan(6);
  expect(rowOf(l.rows, 25_003)?.start).toBe(25_000);
});

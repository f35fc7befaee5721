import { expect, test } from 'vitest';
import type { Range } from '../api.ts';
import {
  type BinGrid,
  binAt,
  brushCounts,
  brushSpan,
  edge,
  rangeOfBins,
  stepEdge,
} from './brush.ts';

const ten: BinGrid = { min: 0, max: 10, n: 40 };
const unit: BinGrid = { min: 0.013, max: 0.997, n: 40 };
const one: BinGrid = { min: 3, max: 3, n: 40 };

test('bin edges: equal bins over [min, max], rounded a little below the bin width', () => {
  const rows: [BinGrid, number, number][] = [
    [ten, 0, 0],
    [ten, 1, 0.25],
    [ten, 40, 10],
    [unit, 1, 0.0376],
    [unit, 20, 0.505],
    [one, 20, 3.5], // min = max: the range [min, min + 1)
    [{ min: -5, max: 5, n: 4 }, 1, -2.5],
    [{ min: 1000, max: 101000, n: 40 }, 3, 8500],
  ];
  for (const [g, i, want] of rows) expect(edge(g, i), `${JSON.stringify(g)} ${i}`).toBe(want);
});

test('the bin under a point of the plot, clamped to the bins', () => {
  const rows: [number, number][] = [
    [0, 0],
    [-0.2, 0],
    [0.024, 0],
    [0.025, 1],
    [0.5, 20],
    [0.999, 39],
    [1, 39],
    [1.3, 39],
  ];
  for (const [x, bin] of rows) expect(binAt(ten, x), String(x)).toBe(bin);
});

test('a run of bins is a range; an end at the first or last bin is open; every bin is no filter', () => {
  const rows: [number, number, Range | null][] = [
    [4, 7, { min: 1, max: 2 }],
    [7, 4, { min: 1, max: 2 }],
    [0, 3, { max: 1 }],
    [36, 39, { min: 9 }],
    [10, 10, { min: 2.5, max: 2.75 }],
    [0, 39, null],
    [-3, 99, null],
  ];
  for (const [a, b, want] of rows) expect(rangeOfBins(ten, a, b), `${a}..${b}`).toEqual(want);
});

test('a brush on the plot: open ends reach the plot ends, values outside are clamped', () => {
  const rows: [Range, [number, number]][] = [
    [{}, [0, 1]],
    [{ min: 2.5 }, [0.25, 1]],
    [{ max: 5 }, [0, 0.5]],
    [{ min: -4, max: 12 }, [0, 1]],
  ];
  for (const [r, span] of rows) expect(brushSpan(ten, r), JSON.stringify(r)).toEqual(span);
});

test('keyboard steps move one end by whole bins; the ends never cross', () => {
  const rows: [Range, 'min' | 'max', number, Range | null][] = [
    [{}, 'min', 1, { min: 0.25 }],
    [{}, 'max', -1, { max: 9.75 }],
    [{ min: 0.25 }, 'min', -1, null],
    [{ min: 1, max: 2 }, 'max', 2, { min: 1, max: 2.5 }],
    [{ min: 1, max: 2 }, 'min', 10, { min: 1.75, max: 2 }],
    [{ min: 1, max: 2 }, 'max', -10, { min: 1, max: 1.25 }],
    [{ min: 1, max: 2 }, 'min', -40, { max: 2 }],
    [{ min: 1, max: 2 }, 'max', 40, { min: 1 }],
    // A range typed by hand (not on the bin grid) snaps to the nearest edge first.
    [{ min: 1.1 }, 'min', 1, { min: 1.25 }],
  ];
  for (const [r, end, delta, want] of rows) {
    expect(stepEdge(ten, r, end, delta), `${JSON.stringify(r)} ${end} ${delta}`).toEqual(want);
  }
});

test('counts in and out of the brush; missing values apart', () => {
  const h = { selected: [0, 2, 5, 0], count: 20, missing: { null: 3, nan: 1 } };
  expect(brushCounts(h)).toEqual({ inside: 7, outside: 13, missing: 4 });
  expect(brushCounts({ selected: [4, 4], count: 8, missing: { null: 0, nan: 0 } })).toEqual({
    inside: 8,
    outside: 0,
    missing: 0,
  });
});

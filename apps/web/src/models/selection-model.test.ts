import type { CanonicalPath } from '@lenslet/core';
import { expect, test } from 'vitest';
import { createSelection } from './selection-model.ts';

const paths = ['/a', '/b', '/c', '/d', '/e'] as CanonicalPath[];
const listing = {
  at: (i: number) => paths[i],
  indexOf: (p: CanonicalPath) => paths.indexOf(p),
  length: paths.length,
};

test('click selects one; shift extends a range from the anchor; ctrl toggles', () => {
  const s = createSelection(listing);
  s.click(1);
  expect([...s.selected.value]).toEqual(['/b']);
  s.click(3, { shift: true });
  expect([...s.selected.value]).toEqual(['/b', '/c', '/d']);
  s.click(0, { toggle: true });
  expect([...s.selected.value].sort()).toEqual(['/a', '/b', '/c', '/d']);
  s.click(2, { toggle: true });
  expect([...s.selected.value].sort()).toEqual(['/a', '/b', '/d']);
  expect(s.focus.value).toBe('/c');
});

test('targets are the selection when it holds several items, else the focused item', () => {
  const s = createSelection(listing);
  expect(s.targets()).toEqual([]);
  s.click(2);
  expect(s.targets()).toEqual(['/c']);
  s.move(1, true);
  expect(s.targets()).toEqual(['/c', '/d']);
  expect(s.count.value).toBe(2);
});

test('moving clamps at both ends and a plain move collapses the selection', () => {
  const s = createSelection(listing);
  s.move(1);
  expect(s.focus.value).toBe('/a');
  s.move(-10);
  expect(s.focus.value).toBe('/a');
  s.move(99);
  expect(s.focus.value).toBe('/e');
  s.selectAll(paths);
  s.move(-1);
  expect([...s.selected.value]).toEqual(['/d']);
});

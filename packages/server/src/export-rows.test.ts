import { EMPTY_LABELS, type Labels } from '@lenslet/core';
import { expect, test } from 'vitest';
import { chunked, exportRows } from './export-rows.ts';
import { p } from './live-test-kit.ts';

const labeled = (over: Partial<Labels>): Labels => ({ ...EMPTY_LABELS, version: 2, ...over });

test('only labeled items inside the scope, with presence from the gallery', () => {
  const items = new Map([
    [p('/a/1.jpg'), labeled({ star: 2 })],
    [p('/a/b/2.jpg'), labeled({ tags: ['t'] })],
    [p('/ab.jpg'), labeled({ notes: 'n' })],
    [p('/a/cleared.jpg'), labeled({})],
  ]);
  const rows = exportRows(items, p('/a'), (path) => path !== p('/a/b/2.jpg'));
  expect(rows.map((r) => [r.path, r.present])).toEqual([
    ['/a/1.jpg', true],
    ['/a/b/2.jpg', false],
  ]);
  expect(exportRows(items, p('/a'), () => true, false).map((r) => r.path)).toEqual(['/a/1.jpg']);
  expect(exportRows(items, p('/'), () => true)).toHaveLength(3);
});

test('chunks group small parts without changing the bytes', () => {
  const parts = Array.from({ length: 100 }, (_, i) => `part-${i};`);
  const chunks = [...chunked(parts, 64)];
  expect(chunks.join('')).toBe(parts.join(''));
  expect(chunks.length).toBeGreaterThan(5);
  expect(chunks.slice(0, -1).every((c) => c.length >= 64)).toBe(true);
});

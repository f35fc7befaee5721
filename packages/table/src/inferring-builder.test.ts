import { expect, test } from 'vitest';
import type { CategoryColumn, ListColumn, NumberColumn, TextColumn } from './columns.ts';
import { InferringBuilder } from './inferring-builder.ts';

function fromText(cells: string[]) {
  const b = new InferringBuilder('c');
  for (const cell of cells) b.pushText(cell);
  return b.finish();
}

test('numbers stay numbers; empty and NA cells are null, NaN cells are NaN, counted apart', () => {
  const c = fromText(['1', '', '2.5', 'NaN', 'NA', '-3e2', 'inf']) as NumberColumn;
  expect(c.kind).toBe('number');
  expect([...c.values]).toEqual([1, Number.NaN, 2.5, Number.NaN, Number.NaN, -300, Infinity]);
  expect(c.null_count).toBe(2);
  expect(c.nan_count).toBe(1);
  expect(c.integer).toBe(false);
});

test('true/false in any case make a boolean category', () => {
  const c = fromText(['True', '', 'false', 'TRUE']) as CategoryColumn;
  expect(c).toMatchObject({ kind: 'category', boolean: true, missing_count: 1 });
  expect([...c.codes].map((k) => (k === 0 ? null : c.values[k - 1]))).toEqual([
    'true',
    null,
    'false',
    'true',
  ]);
});

test('a column that meets text after numbers becomes text and keeps every cell', () => {
  const c = fromText(['1', '2', '', 'n/a', 'x', '3']) as CategoryColumn;
  expect(c.kind).toBe('category');
  expect([...c.codes].map((k) => (k === 0 ? null : c.values[k - 1]))).toEqual([
    '1',
    '2',
    null,
    null,
    'x',
    '3',
  ]);
});

test('a cell named like an Object property is text, not a number', () => {
  expect(fromText(['constructor', 'toString']).kind).toBe('category');
});

test('JSON values: numbers, strings kept as strings, lists of strings, objects as JSON text', () => {
  const push = (values: unknown[]) => {
    const b = new InferringBuilder('c');
    for (const v of values) b.pushValue(v);
    return b.finish();
  };
  expect(push([1, null, 2]).kind).toBe('number');
  expect(push(['1', '2']).kind).toBe('category');
  const list = push([['a', 'b'], null, [], ['b']]) as ListColumn;
  expect(list.kind).toBe('list');
  expect(list.null_count).toBe(1);
  expect([...list.offsets]).toEqual([0, 2, 2, 2, 3]);
  const mixed = push([{ a: 1 }, 'x']) as CategoryColumn;
  expect(mixed.values).toEqual(['{"a":1}', 'x']);
  const lateList = push(['x', ['a']]) as CategoryColumn;
  expect(lateList.values).toEqual(['x', '["a"]']);
});

test('more than 65,535 distinct strings fall back to a text column', () => {
  const b = new InferringBuilder('c');
  for (let i = 0; i < 70_000; i++) b.pushText(`v${i}`);
  const c = b.finish() as TextColumn;
  expect(c.kind).toBe('text');
  expect(c.values[69_999]).toBe('v69999');
  expect(c.values[5]).toBe('v5');
});

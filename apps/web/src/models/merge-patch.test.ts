import { expect, test } from 'vitest';
import { isEmptyPatch, mergePatch } from './merge-patch.ts';

test('a later set_star wins over an earlier one', () => {
  expect(mergePatch({ set_star: 3 }, { set_star: 5 })).toEqual({ set_star: 5 });
});

test('clearing the star (null) is a set, not an absence', () => {
  expect(mergePatch({ set_star: 3 }, { set_star: null })).toEqual({ set_star: null });
  expect(mergePatch({ set_star: null }, { set_notes: 'x' })).toEqual({
    set_star: null,
    set_notes: 'x',
  });
});

test('independent fields are kept together', () => {
  expect(mergePatch({ set_star: 2 }, { set_notes: 'sharp', add_tags: ['cat'] })).toEqual({
    set_star: 2,
    set_notes: 'sharp',
    add_tags: ['cat'],
  });
});

test('adding then removing the same tag cancels out', () => {
  const merged = mergePatch({ add_tags: ['cat', 'dog'] }, { remove_tags: ['cat'] });
  expect(merged).toEqual({ add_tags: ['dog'] });
  expect(isEmptyPatch(mergePatch({ add_tags: ['cat'] }, { remove_tags: ['cat'] }))).toBe(true);
});

test('removing then adding the same tag cancels out', () => {
  expect(isEmptyPatch(mergePatch({ remove_tags: ['cat'] }, { add_tags: ['cat'] }))).toBe(true);
});

test('a later set_tags replaces every earlier tag operation', () => {
  expect(
    mergePatch({ add_tags: ['a'], remove_tags: ['b'] }, { set_tags: ['x'], add_tags: ['y'] }),
  ).toEqual({ set_tags: ['x'], add_tags: ['y'] });
});

test('tag operations after a set_tags edit the set list', () => {
  expect(mergePatch({ set_tags: ['a', 'b'] }, { remove_tags: ['a'], add_tags: ['c'] })).toEqual({
    set_tags: ['b', 'c'],
  });
});

test('metrics merge key by key', () => {
  expect(mergePatch({ set_metrics: { a: 1, b: 2 } }, { set_metrics: { b: 3, c: null } })).toEqual({
    set_metrics: { a: 1, b: 3, c: null },
  });
});

test('isEmptyPatch sees operations', () => {
  expect(isEmptyPatch({})).toBe(true);
  expect(isEmptyPatch({ add_tags: [] })).toBe(true);
  expect(isEmptyPatch({ set_notes: '' })).toBe(false);
});

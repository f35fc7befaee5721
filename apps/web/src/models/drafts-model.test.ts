import type { CanonicalPath } from '@lenslet/core';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createDrafts, NOTES_SAVE_DELAY_MS } from './drafts-model.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '/a.jpg' as CanonicalPath;
const B = '/b.jpg' as CanonicalPath;

function setup() {
  const saved: [string, string][] = [];
  const notes = new Map<string, string>([
    [A, ''],
    [B, 'old'],
  ]);
  const d = createDrafts({
    current: (p) => notes.get(p) ?? null,
    save: (p, n) => saved.push([p, n]),
  });
  return { d, saved };
}

test('typing saves once after a pause, with the last text', () => {
  const { d, saved } = setup();
  d.set(A, 'h');
  d.set(A, 'he');
  vi.advanceTimersByTime(NOTES_SAVE_DELAY_MS - 1);
  expect(saved).toEqual([]);
  d.set(A, 'hello');
  vi.advanceTimersByTime(NOTES_SAVE_DELAY_MS);
  expect(saved).toEqual([[A, 'hello']]);
  expect(d.drafts.value.has(A)).toBe(false);
});

test('switching items flushes every draft at once; unchanged text saves nothing', () => {
  const { d, saved } = setup();
  d.set(A, 'draft a');
  d.set(B, 'old');
  d.flushAll();
  expect(saved).toEqual([[A, 'draft a']]);
  vi.advanceTimersByTime(10_000);
  expect(saved).toHaveLength(1);
});

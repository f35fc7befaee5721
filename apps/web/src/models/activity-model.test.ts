import type { CanonicalPath } from '@lenslet/core';
import { expect, test } from 'vitest';
import { createActivity } from './activity-model.ts';

const p = (s: string) => s as CanonicalPath;

test('changes by others in view make one banner per view, counting items once', () => {
  const a = createActivity();
  expect(a.banner.value).toBeNull();
  a.record(p('/a'), 'ana', true);
  a.record(p('/b'), 'ana', true);
  a.record(p('/a'), 'ana', true);
  expect(a.banner.value?.text).toBe('ana changed 2 items here');
  a.record(p('/c'), 'ben', true);
  expect(a.banner.value?.text).toBe('ana and ben changed 3 items here');
  expect(a.banner.value?.paths.sort()).toEqual(['/a', '/b', '/c']);
  a.record(p('/x'), 'cy', false);
  expect(a.outside.value).toBe(1);
  a.clear();
  expect(a.banner.value).toBeNull();
  expect(a.outside.value).toBe(0);
});

import type { CanonicalPath } from '@lenslet/core';
import { signal } from '@preact/signals';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createUrlModel, URL_WRITE_DELAY_MS } from './url-model.ts';
import { DEFAULT_VIEW } from './view-state.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(search = '') {
  const writes: [string, boolean][] = [];
  const focus = signal<CanonicalPath | null>(null);
  const url = createUrlModel({ search, setUrl: (s, push) => writes.push([s, push]), focus });
  return { url, focus, writes };
}

test('the view and the item come from the URL', () => {
  const { url } = setup('?folder=/coast&stars=4,5&item=/coast/a.jpg');
  expect(url.view.value).toMatchObject({ folder: '/coast', stars: [4, 5] });
  expect(url.initialItem).toBe('/coast/a.jpg');
});

test('a navigation pushes, a focus change replaces, both written once after a pause', async () => {
  const { url, focus, writes } = setup();
  await vi.advanceTimersByTimeAsync(URL_WRITE_DELAY_MS);
  writes.length = 0;
  url.go({ ...DEFAULT_VIEW, folder: '/coast' as CanonicalPath });
  focus.value = '/coast/a.jpg' as CanonicalPath;
  await vi.advanceTimersByTimeAsync(URL_WRITE_DELAY_MS);
  expect(writes).toEqual([['?folder=/coast&item=/coast/a.jpg', true]]);
  focus.value = '/coast/b.jpg' as CanonicalPath;
  await vi.advanceTimersByTimeAsync(URL_WRITE_DELAY_MS);
  expect(writes.at(-1)).toEqual(['?folder=/coast&item=/coast/b.jpg', false]);
});

test('after dispose the URL is left alone and no timer is left', async () => {
  const { url, focus, writes } = setup();
  focus.value = '/a.jpg' as CanonicalPath;
  url.dispose();
  expect(vi.getTimerCount()).toBe(0);
  focus.value = '/b.jpg' as CanonicalPath;
  await vi.advanceTimersByTimeAsync(1_000);
  expect(writes).toEqual([]);
});

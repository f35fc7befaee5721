import { type CanonicalPath, LensletError } from '@lenslet/core';
import { signal } from '@preact/signals';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { ItemRow, MetadataAnswer } from '../api.ts';
import { createInspectModel, INSPECT_DELAY_MS } from './inspect-model.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const [PNG, GIF, BARE, BROKEN] = ['/a.png', '/b.gif', '/c.jpg', '/d.png'] as [
  CanonicalPath,
  CanonicalPath,
  CanonicalPath,
  CanonicalPath,
];
const refused = (status: number) =>
  new LensletError('not_found', `refused ${status}`, { details: { status } });

function setup() {
  const asked: string[] = [];
  const reports: string[] = [];
  const focus = signal<CanonicalPath | null>(null);
  const mimes: Record<string, string> = {
    [PNG]: 'image/png',
    [GIF]: 'image/gif',
    [BARE]: 'image/jpeg',
    [BROKEN]: 'image/png',
  };
  const inspect = createInspectModel({
    api: {
      async row(path: string): Promise<ItemRow> {
        asked.push(`row ${path}`);
        return { path: path as CanonicalPath, fields: { aesthetic: 6.5 }, source: null };
      },
      async metadata(path: string): Promise<MetadataAnswer> {
        asked.push(`metadata ${path}`);
        if (path === BARE) throw refused(404);
        if (path === BROKEN) throw refused(500);
        return {
          path: path as CanonicalPath,
          format: 'png',
          meta: {},
          generation: null,
          warnings: [],
        };
      },
    },
    focus,
    mimeOf: (path) => mimes[path],
    report: (what, e) => void reports.push(`${what}: ${(e as Error).message}`),
  });
  return { inspect, focus, asked, reports };
}

test('the row and the metadata of the focused image, once the focus settles', async () => {
  const { inspect, focus, asked } = setup();
  focus.value = GIF;
  focus.value = PNG;
  expect(inspect.of(PNG)).toBe(null);
  await vi.advanceTimersByTimeAsync(INSPECT_DELAY_MS);
  expect(asked).toEqual([`row ${PNG}`, `metadata ${PNG}`]);
  expect(inspect.of(PNG)).toMatchObject({
    row: { fields: { aesthetic: 6.5 } },
    metadata: { format: 'png' },
  });
  expect(inspect.of(GIF)).toBe(null);
  inspect.dispose();
});

test('no metadata is asked of a GIF; a 404 means none; another failure is reported', async () => {
  const { inspect, focus, asked, reports } = setup();
  focus.value = GIF;
  await vi.advanceTimersByTimeAsync(INSPECT_DELAY_MS);
  expect(asked).toEqual([`row ${GIF}`]);
  expect(inspect.of(GIF)).toMatchObject({ metadata: null });
  focus.value = BARE;
  await vi.advanceTimersByTimeAsync(INSPECT_DELAY_MS);
  expect(inspect.of(BARE)).toMatchObject({ row: { path: BARE }, metadata: null });
  expect(reports).toEqual([]);
  focus.value = BROKEN;
  await vi.advanceTimersByTimeAsync(INSPECT_DELAY_MS);
  expect(inspect.of(BROKEN)).toBe(null);
  expect(reports).toEqual(['Loading the details of this image: refused 500']);
  inspect.dispose();
});

test('reload asks again; dispose leaves no timer and no effect', async () => {
  const { inspect, focus, asked } = setup();
  focus.value = PNG;
  await vi.advanceTimersByTimeAsync(INSPECT_DELAY_MS);
  inspect.reload();
  await vi.advanceTimersByTimeAsync(INSPECT_DELAY_MS);
  expect(asked).toHaveLength(4);
  inspect.reload();
  inspect.dispose();
  expect(vi.getTimerCount()).toBe(0);
  focus.value = GIF;
  await vi.advanceTimersByTimeAsync(INSPECT_DELAY_MS);
  expect(asked).toHaveLength(4);
});

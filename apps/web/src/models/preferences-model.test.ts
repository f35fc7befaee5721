import { expect, test } from 'vitest';
import { readPreferences } from './preferences.ts';
import { createPreferencesModel } from './preferences-model.ts';

const storage = (items: Record<string, string> = {}) => {
  const map = new Map(Object.entries(items));
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
  };
};

test.each([
  [{}, { inspector: true, metrics: true, layout: 'grid', size: 180 }],
  [{ 'lenslet.inspector': '0' }, { inspector: false, metrics: true, layout: 'grid', size: 180 }],
  [{ 'lenslet.metrics': '0' }, { inspector: true, metrics: false, layout: 'grid', size: 180 }],
  [
    { 'lenslet.layout': 'rows', 'lenslet.size': '240' },
    { inspector: true, metrics: true, layout: 'rows', size: 240 },
  ],
  [
    { 'lenslet.layout': 'tiles', 'lenslet.size': 'big' },
    { inspector: true, metrics: true, layout: 'grid', size: 180 },
  ],
])('read %j', (items, expected) => {
  expect(readPreferences(storage(items))).toEqual(expected);
});

test('a change is written back until dispose', () => {
  const s = storage();
  const prefs = createPreferencesModel(s, () => {});
  prefs.setLayout('rows');
  prefs.toggleInspector();
  prefs.toggleMetrics();
  expect(s.map.get('lenslet.layout')).toBe('rows');
  expect(s.map.get('lenslet.inspector')).toBe('0');
  expect(s.map.get('lenslet.metrics')).toBe('0');
  prefs.dispose();
  prefs.setSize(300);
  expect(prefs.size.value).toBe(300);
  expect(s.map.get('lenslet.size')).toBe('180');
});

test('a storage that refuses is reported; the preference still applies', () => {
  const reports: string[] = [];
  const prefs = createPreferencesModel(
    {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    },
    (what) => void reports.push(what),
  );
  prefs.setSize(200);
  expect(prefs.size.value).toBe(200);
  expect(reports).toHaveLength(2);
});

/**
 * UI preferences kept in this browser (localStorage): inspector shown, metrics panel shown, grid
 * or justified rows, thumbnail size. Reading and encoding, pure; anything unreadable falls back to the default.
 */

export type Layout = 'grid' | 'rows';

export type Preferences = {
  readonly inspector: boolean;
  /** The metrics panel, where the scope has metrics or categorical fields. */
  readonly metrics: boolean;
  readonly layout: Layout;
  /** Target thumbnail size in px. */
  readonly size: number;
};

export const DEFAULT_PREFERENCES: Preferences = {
  inspector: true,
  metrics: true,
  layout: 'grid',
  size: 180,
};

const KEYS = {
  inspector: 'lenslet.inspector',
  metrics: 'lenslet.metrics',
  layout: 'lenslet.layout',
  size: 'lenslet.size',
};

/** `{'lenslet.layout': 'rows'}` => `{inspector: true, layout: 'rows', size: 180}`. */
export function readPreferences(storage: Pick<Storage, 'getItem'>): Preferences {
  return {
    inspector: storage.getItem(KEYS.inspector) !== '0',
    metrics: storage.getItem(KEYS.metrics) !== '0',
    layout: storage.getItem(KEYS.layout) === 'rows' ? 'rows' : 'grid',
    size: Number(storage.getItem(KEYS.size)) || DEFAULT_PREFERENCES.size,
  };
}

/** The storage items of `prefs`, as [key, value] pairs. */
export function toStorageItems(prefs: Preferences): [string, string][] {
  return [
    [KEYS.layout, prefs.layout],
    [KEYS.size, String(prefs.size)],
    [KEYS.inspector, prefs.inspector ? '1' : '0'],
    [KEYS.metrics, prefs.metrics ? '1' : '0'],
  ];
}

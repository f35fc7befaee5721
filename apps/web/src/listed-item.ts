/**
 * A listed image as the browser keeps it: the file facts of core's item (`ItemView`) beside its
 * labels (`Labels`, with `field_versions` unknown to the browser: zeros).
 */
import {
  type ItemView,
  itemViewSchema,
  type Labels,
  LensletError,
  readMessage,
} from '@lenslet/core';

/**
 * File facts of one image as the browse routes answer them; `fields` the values the query asked
 * for (the card's field), `missing` a table row whose image file is not there.
 */
export type ItemMeta = Readonly<
  Pick<
    ItemView,
    | 'path'
    | 'name'
    | 'mime'
    | 'width'
    | 'height'
    | 'size'
    | 'added_at'
    | 'thumb_url'
    | 'fields'
    | 'missing'
  >
>;

/** One listed image: file facts + labels (field_versions unknown to the browser: zeros). */
export type ListedItem = { readonly meta: ItemMeta; readonly labels: Labels };

const EMPTY_FIELD_VERSIONS = Object.freeze({ star: 0, notes: 0, tags: 0 });

/** Labels from any wire object with the label fields (sidecar, item, event). */
export function toLabels(w: {
  star: number | null;
  tags: readonly string[];
  notes: string;
  metrics?: Record<string, number> | null;
  version: number;
  updated_at?: string | null;
  updated_by?: string | null;
}): Labels {
  return {
    star: w.star ?? null,
    tags: w.tags,
    notes: w.notes ?? '',
    metrics: w.metrics ?? {},
    version: w.version,
    updated_at: w.updated_at || null,
    updated_by: w.updated_by || null,
    field_versions: EMPTY_FIELD_VERSIONS,
  };
}

/** Split a parsed item into file facts and labels. */
export function listed(item: ItemView): ListedItem {
  const { path, name, mime, width, height, size, added_at, thumb_url, fields, missing } = item;
  return {
    meta: { path, name, mime, width, height, size, added_at, thumb_url, fields, missing },
    labels: toLabels(item),
  };
}

/**
 * One listed item from an item object that may lack file facts (a test, an older answer): the
 * missing facts get defaults, then the item is checked with core's item schema like any answer.
 */
export function toListedItem(raw: unknown): ListedItem {
  const item = typeof raw === 'object' && raw !== null ? raw : {};
  const path = 'path' in item && typeof item.path === 'string' ? item.path : '';
  const read = readMessage(itemViewSchema, {
    name: path.slice(path.lastIndexOf('/') + 1),
    mime: '',
    width: null,
    height: null,
    size: 0,
    added_at: '',
    thumb_url: `/thumb?path=${encodeURIComponent(path)}`,
    metrics: {},
    updated_at: null,
    updated_by: null,
    ...item,
  });
  if (!read.ok) {
    throw new LensletError('internal', `unexpected item: ${read.problem}`, {
      details: { status: 0 },
    });
  }
  return listed(read.data);
}

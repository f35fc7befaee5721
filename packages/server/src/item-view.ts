/**
 * The item JSON every browse answer uses (`/folders`, `/search`, `/folders/query`,
 * `/item/detail`): one image's file facts from the gallery plus its labels, in the original
 * Lenslet's snake_case words. Built only for the page being answered, never for a whole scope.
 */
import type { CanonicalPath, ItemView, Labels } from '@lenslet/core';
import type { ImageEntry } from '@lenslet/gallery';

/** What a thumbnail URL depends on: the rendering settings of this server. */
export type ThumbSettings = { readonly thumb_size: number; readonly thumb_quality: number };

/**
 * The `v` of a thumbnail URL: the file's size and mtime plus the rendering settings, so a URL
 * names exactly one rendering and can be cached forever. Opaque to clients.
 * (size 1234, mtime 1700000000123.4, 256 px, q70) => '1234-1700000000123-256-70'
 */
export function thumbVersion(entry: ImageEntry, settings: ThumbSettings): string {
  return `${entry.size}-${Math.floor(entry.mtime_ms)}-${settings.thumb_size}-${settings.thumb_quality}`;
}

/** A canonical path as a query value, keeping `/` readable: '/a b/c.jpg' => '/a%20b/c.jpg' */
export function encodePathParam(path: CanonicalPath): string {
  return encodeURIComponent(path).replaceAll('%2F', '/');
}

/** '/a/b.jpg' => '/thumb?path=/a/b.jpg&v=1234-1700000000123-256-70' */
export function thumbUrl(entry: ImageEntry, settings: ThumbSettings): string {
  return `/thumb?path=${encodePathParam(entry.path)}&v=${thumbVersion(entry, settings)}`;
}

/** '/a/b.jpg' => '/file?path=/a/b.jpg' */
export function fileUrl(path: CanonicalPath): string {
  return `/file?path=${encodePathParam(path)}`;
}

/** One image as the browse routes answer it. */
export function toItemView(entry: ImageEntry, labels: Labels, settings: ThumbSettings): ItemView {
  return {
    path: entry.path,
    name: entry.name,
    mime: entry.mime,
    width: entry.width,
    height: entry.height,
    size: entry.size,
    added_at: entry.added_at,
    thumb_url: thumbUrl(entry, settings),
    star: labels.star,
    tags: [...labels.tags],
    notes: labels.notes,
    version: labels.version,
    updated_at: labels.updated_at,
    updated_by: labels.updated_by,
    metrics: { ...labels.metrics },
    source: entry.path.slice(1),
    original_media: ORIGINAL_MEDIA,
    mutable_metric_keys: Object.keys(labels.metrics),
  };
}

/** How the original Lenslet's viewer loads the full image: streamed by this server. */
export const ORIGINAL_MEDIA = {
  mode: 'local_streaming',
  source_kind: 'local',
  proxy_available: true,
} as const;

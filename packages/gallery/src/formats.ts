/**
 * Which files are images: by extension when scanning (cheap, no read), by magic bytes when the
 * header is read (the served MIME type is the content's, not the extension's).
 */

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif';

/** Lower-case extensions (without dot) that the scan indexes. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  'jpg',
  'jpeg',
  'png',
  'webp',
  'gif',
  'avif',
]);

export const FORMAT_MIME: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
};

/** Formats in a stable order, so a format can be stored as a small number. */
export const FORMATS: readonly ImageFormat[] = ['jpeg', 'png', 'gif', 'webp', 'avif'];

/** 'a.JPG' => true · 'a.jpeg.txt' => false · '.jpg' => true (hidden names are filtered elsewhere) */
export function hasImageExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot >= 0 && IMAGE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

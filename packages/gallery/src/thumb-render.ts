/**
 * One thumbnail with sharp: EXIF orientation applied, short edge scaled to `size` (never up),
 * WebP with alpha kept, first frame only for animations (sharp reads one page by default).
 * Damaged files render what can be decoded (`failOn: 'none'`); a file sharp cannot decode at all
 * is an `unsupported_image` error.
 */
import { LensletError } from '@lenslet/core';
import sharp from 'sharp';

/** Encoder effort 0–6: 2 is about twice as fast as the default 4 at the same quality setting. */
const WEBP_EFFORT = 2;

export async function renderThumbnail(
  file: string,
  label: string,
  size: number,
  quality: number,
): Promise<Buffer> {
  try {
    return await sharp(file, { failOn: 'none', sequentialRead: true })
      .rotate()
      .resize({ width: size, height: size, fit: 'outside', withoutEnlargement: true })
      .webp({ quality, effort: WEBP_EFFORT })
      .toBuffer();
  } catch (error) {
    const reason = String((error as Error).message ?? error).split('\n')[0] ?? '';
    if (reason.startsWith('Input file is missing')) {
      throw new LensletError('not_found', `the file for ${label} no longer exists`, {
        cause: error,
      });
    }
    throw new LensletError(
      'unsupported_image',
      `cannot make a thumbnail of ${label}: the file is damaged or not a supported image (${reason})`,
      { cause: error },
    );
  }
}

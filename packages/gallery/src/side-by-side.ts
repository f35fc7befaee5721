/**
 * Images side by side in one PNG (the original Lenslet's "export comparison"): each image with
 * its EXIF orientation applied and scaled to one common height (the smallest of theirs, at most
 * `MAX_COMPARISON_HEIGHT`), left to right, a gap between them, and an optional label strip
 * above each. Damaged files render what can be decoded; a file sharp cannot read at all rejects
 * with `unsupported_image` naming it.
 */
import { LensletError } from '@lenslet/core';
import sharp, { type OverlayOptions } from 'sharp';

export const MAX_COMPARISON_HEIGHT = 1024;
const GAP_PX = 8;
const LABEL_PX = 28;

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

function labelStrip(text: string, width: number): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${LABEL_PX}"><text x="6" y="${LABEL_PX - 9}" font-family="sans-serif" font-size="16" fill="#111">${escapeXml(text.slice(0, 200))}</text></svg>`;
  return Buffer.from(svg);
}

/** One PNG of `files` left to right; `labels[i]` (when non-empty) is drawn above image i. */
export async function composeSideBySide(
  files: readonly string[],
  labels: readonly (string | null)[] = [],
): Promise<Buffer> {
  const decoded = await Promise.all(
    files.map(async (file) => {
      try {
        const { data, info } = await sharp(file, { failOn: 'none' })
          .rotate()
          .png()
          .toBuffer({ resolveWithObject: true });
        return { data, width: info.width, height: info.height };
      } catch (error) {
        throw new LensletError('unsupported_image', `cannot decode ${file} to compare it`, {
          cause: error,
        });
      }
    }),
  );
  const height = Math.min(MAX_COMPARISON_HEIGHT, ...decoded.map((d) => d.height));
  const scaled = await Promise.all(
    decoded.map(async (d) => {
      const width = Math.max(1, Math.round((d.width * height) / d.height));
      return { data: await sharp(d.data).resize(width, height).png().toBuffer(), width };
    }),
  );
  const top = labels.some((l) => l) ? LABEL_PX : 0;
  const total = scaled.reduce((sum, s) => sum + s.width, 0) + GAP_PX * (scaled.length - 1);
  const layers: OverlayOptions[] = [];
  let left = 0;
  scaled.forEach((s, i) => {
    layers.push({ input: s.data, left, top });
    const label = labels[i];
    if (label) layers.push({ input: labelStrip(label, s.width), left, top: 0 });
    left += s.width + GAP_PX;
  });
  return sharp({
    create: {
      width: total,
      height: height + top,
      channels: 4,
      background: { r: 255, g: 255, b: 255, alpha: 1 },
    },
  })
    .composite(layers)
    .png()
    .toBuffer();
}

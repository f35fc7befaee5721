/**
 * `createDemoGallery(dir)`: a small generated gallery so `lenslet serve` with no folder shows
 * something real — 48 images of gradients and shapes, each labelled with its name, in a few
 * folders, in varied sizes and aspect ratios and in JPEG, PNG (one with transparency) and WebP.
 * Deterministic (seeded), and fast: rendered small, two at a time.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { forEachLimit } from './pool.ts';

type DemoImage = {
  path: string;
  width: number;
  height: number;
  hue: number;
  shape: number;
  alpha: boolean;
};

const FOLDERS: ReadonlyArray<{
  folder: string;
  count: number;
  w: [number, number];
  h: [number, number];
}> = [
  { folder: 'landscapes', count: 12, w: [640, 800], h: [400, 480] },
  { folder: 'landscapes/sunsets', count: 6, w: [720, 800], h: [400, 450] },
  { folder: 'portraits', count: 10, w: [360, 420], h: [560, 640] },
  { folder: 'squares', count: 10, w: [480, 480], h: [480, 480] },
  { folder: 'panoramas', count: 4, w: [960, 1000], h: [280, 320] },
  { folder: '', count: 6, w: [400, 640], h: [400, 640] },
];
const NAMES = [
  'aurora',
  'basalt',
  'coral',
  'dune',
  'ember',
  'fjord',
  'glacier',
  'harbor',
  'iris',
  'jade',
  'kelp',
  'lagoon',
];

/** mulberry32: a tiny seeded PRNG, so every demo gallery is the same. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function plan(): DemoImage[] {
  const rnd = random(7);
  const images: DemoImage[] = [];
  let n = 0;
  for (const { folder, count, w, h } of FOLDERS) {
    for (let i = 0; i < count; i++, n++) {
      const ext = n % 7 === 3 ? 'png' : n % 5 === 2 ? 'webp' : 'jpg';
      const alpha = folder === '' && i === 0;
      const name = `${NAMES[n % NAMES.length]}-${String(n + 1).padStart(2, '0')}.${alpha ? 'png' : ext}`;
      images.push({
        path: folder === '' ? name : `${folder}/${name}`,
        width: Math.round(w[0] + rnd() * (w[1] - w[0])),
        height: Math.round(h[0] + rnd() * (h[1] - h[0])),
        hue: Math.round(rnd() * 360),
        shape: Math.floor(rnd() * 3),
        alpha,
      });
    }
  }
  return images;
}

function svg(img: DemoImage): string {
  const { width: w, height: h, hue } = img;
  const label = img.path
    .split('/')
    .pop()!
    .replace(/\.\w+$/, '');
  const r = Math.min(w, h) * 0.28;
  const shapes = [
    `<circle cx="${w * 0.62}" cy="${h * 0.45}" r="${r}" fill="hsl(${(hue + 150) % 360},80%,60%)" opacity="0.85"/>`,
    `<rect x="${w * 0.2}" y="${h * 0.2}" width="${r * 1.6}" height="${r * 1.6}" rx="${r * 0.2}" fill="hsl(${(hue + 90) % 360},70%,55%)" opacity="0.8" transform="rotate(12 ${w / 2} ${h / 2})"/>`,
    `<polygon points="${w * 0.5},${h * 0.15} ${w * 0.8},${h * 0.8} ${w * 0.2},${h * 0.8}" fill="hsl(${(hue + 210) % 360},75%,58%)" opacity="0.85"/>`,
  ];
  const background = img.alpha
    ? ''
    : `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},70%,45%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},80%,20%)"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>`;
  const font = Math.round(Math.min(w, h) / 9);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${background}${shapes[img.shape]}<text x="${w / 2}" y="${h - font * 0.8}" font-family="DejaVu Sans, sans-serif" font-size="${font}" font-weight="bold" text-anchor="middle" fill="white" stroke="black" stroke-width="${font / 24}">${label}</text></svg>`;
}

/** Write the demo gallery into `dir` (created if needed); returns the number of images. */
export async function createDemoGallery(dir: string): Promise<number> {
  const images = plan();
  await forEachLimit(images, 2, async (img) => {
    const file = join(dir, img.path);
    await mkdir(dirname(file), { recursive: true });
    // SVG renders with an alpha channel; only the transparent demo image keeps it.
    const pipeline = img.alpha
      ? sharp(Buffer.from(svg(img)))
      : sharp(Buffer.from(svg(img))).removeAlpha();
    const ext = img.path.slice(img.path.lastIndexOf('.') + 1);
    const data =
      ext === 'png'
        ? await pipeline.png({ compressionLevel: 6 }).toBuffer()
        : ext === 'webp'
          ? await pipeline.webp({ quality: 80, effort: 1 }).toBuffer()
          : await pipeline.jpeg({ quality: 82 }).toBuffer();
    await writeFile(file, data);
  });
  return images.length;
}

/**
 * Galleries for browser tests and the web benchmark:
 * - `makePhotoGallery(dir, n)`: n photo-like JPEGs (generated landscapes of varied sizes and
 *   aspect ratios) in a few folders, for realistic screenshots;
 * - `makeBulkGallery(dir, n)`: n tiny copies of one JPEG in one folder (fast to write, for
 *   10,000–100,000-item scrolling and first-paint measurements).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const PALETTES = [
  ['#1d3b5c', '#f3a76b', '#ffd58a', '#24303d'],
  ['#0f2a3f', '#6fb1d8', '#fefefe', '#1c4a2e'],
  ['#3a1f3d', '#e07a5f', '#f2cc8f', '#2b2d42'],
  ['#12263a', '#9ec1cf', '#f9f7f3', '#3d5a40'],
  ['#2e1a12', '#d4a373', '#faedcd', '#4a3426'],
  ['#101820', '#f2aa4c', '#fce77d', '#1b2f33'],
];

function landscape(i: number, w: number, h: number): string {
  const [sky, glow, sun, land] = PALETTES[i % PALETTES.length]!;
  const r = (k: number) => (((Math.sin(i * 12.9898 + k * 78.233) * 43758.5453) % 1) + 1) % 1;
  const ridge = (base: number, amp: number, k: number) => {
    const pts = [`0,${h}`];
    for (let x = 0; x <= 10; x++) pts.push(`${(x / 10) * w},${h * base - r(k + x) * h * amp}`);
    pts.push(`${w},${h}`);
    return pts.join(' ');
  };
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${sky}"/><stop offset="0.75" stop-color="${glow}"/></linearGradient></defs>
    <rect width="${w}" height="${h}" fill="url(#g)"/>
    <circle cx="${w * (0.2 + r(1) * 0.6)}" cy="${h * (0.25 + r(2) * 0.3)}" r="${Math.min(w, h) * (0.06 + r(3) * 0.08)}" fill="${sun}" opacity="0.9"/>
    <polygon points="${ridge(0.72, 0.25, 10)}" fill="${land}" opacity="0.7"/>
    <polygon points="${ridge(0.88, 0.18, 30)}" fill="${land}"/>
  </svg>`;
}

const SIZES: [number, number][] = [
  [1600, 1067],
  [1200, 1600],
  [1600, 900],
  [1400, 1400],
  [2000, 1000],
  [1067, 1600],
];

export async function makePhotoGallery(dir: string, n = 48): Promise<void> {
  const folders = ['', 'coast', 'coast/north', 'mountains', 'city'];
  for (const f of folders) mkdirSync(join(dir, f), { recursive: true });
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const [w, h] = SIZES[i % SIZES.length]!;
      const folder = folders[i % folders.length]!;
      const name = `IMG_${String(4000 + i).padStart(4, '0')}.jpg`;
      await sharp(Buffer.from(landscape(i, w, h)))
        .jpeg({ quality: 80 })
        .toFile(join(dir, folder, name));
    }),
  );
}

export async function makeBulkGallery(dir: string, n: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const jpeg = await sharp(Buffer.from(landscape(1, 160, 120)))
    .jpeg({ quality: 60 })
    .toBuffer();
  for (let i = 0; i < n; i++) {
    writeFileSync(join(dir, `img_${String(i).padStart(6, '0')}.jpg`), jpeg);
  }
}

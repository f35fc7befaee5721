/**
 * The soak's gallery: a temp copy of test/fixtures/gallery (Unicode, RTL and emoji names, nested
 * folders, odd formats) plus `extra` tiny JPEGs in ten folders, so twenty labelers spread over a
 * realistic number of images and still collide often. `browser/` holds images that only the
 * browser labels (so its edits can be checked exactly).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_GALLERY } from '@lenslet/test-kit';

export type SoakGallery = {
  readonly dir: string;
  readonly workspace: string;
  /** Paths the simulated labelers write. */
  readonly paths: readonly string[];
  /** Paths only the browser writes. */
  readonly browserPaths: readonly string[];
};

const FIXTURE_IMAGES = [
  '/UPPER.JPG',
  '/alpha.webp',
  '/landscape.jpg',
  '/lossless.webp',
  '/portrait-exif6.jpg',
  '/transparent.png',
  '/猫 café 🐱.jpg',
  '/صور/مرحبا.png',
  '/nested/inner.png',
  '/nested/deeper/deep.webp',
];

export function makeSoakGallery(extra: number, browserImages: number): SoakGallery {
  const dir = mkdtempSync(join(tmpdir(), 'lenslet-soak-'));
  cpSync(FIXTURE_GALLERY, dir, { recursive: true });
  const jpeg = readFileSync(join(FIXTURE_GALLERY, 'landscape.jpg'));
  const paths = [...FIXTURE_IMAGES];
  for (let i = 0; i < extra; i++) {
    const folder = `shoot-${i % 10}`;
    mkdirSync(join(dir, folder), { recursive: true });
    const name = `frame-${String(i).padStart(4, '0')}.jpg`;
    writeFileSync(join(dir, folder, name), jpeg);
    paths.push(`/${folder}/${name}`);
  }
  const browserPaths: string[] = [];
  mkdirSync(join(dir, 'browser'), { recursive: true });
  for (let i = 0; i < browserImages; i++) {
    const name = `b-${String(i).padStart(2, '0')}.jpg`;
    writeFileSync(join(dir, 'browser', name), jpeg);
    browserPaths.push(`/browser/${name}`);
  }
  return { dir, workspace: join(dir, '.lenslet'), paths, browserPaths };
}

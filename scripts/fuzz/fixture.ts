/**
 * The fuzz target's files: a copy of test/fixtures/gallery with symlinks that lead out of the
 * root (a file, a folder, a loop), next to an `outside/` folder holding a canary — a random
 * secret that must never appear in any answer. `outside/secret.jpg` is a real JPEG with the
 * canary appended, so a server that followed the link would serve it as an image.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_GALLERY } from '@lenslet/test-kit';

export type FuzzFixture = {
  readonly root: string;
  readonly canary: string;
  readonly outside: string;
  /** Gallery folders, one per server. */
  gallery(name: string): string;
};

export function makeFuzzFixture(): FuzzFixture {
  const root = mkdtempSync(join(tmpdir(), 'lenslet-fuzz-'));
  const canary = `CANARY-${randomBytes(12).toString('hex')}`;
  const outside = join(root, 'outside');
  mkdirSync(outside);
  const jpeg = readFileSync(join(FIXTURE_GALLERY, 'landscape.jpg'));
  writeFileSync(join(outside, 'secret.txt'), `${canary}\n`);
  writeFileSync(join(outside, 'secret.jpg'), Buffer.concat([jpeg, Buffer.from(canary)]));
  writeFileSync(join(outside, 'views.json'), JSON.stringify({ version: 1, views: [{ canary }] }));
  return {
    root,
    canary,
    outside,
    gallery(name) {
      const dir = join(root, name);
      cpSync(FIXTURE_GALLERY, dir, { recursive: true });
      symlinkSync(join(outside, 'secret.jpg'), join(dir, 'escape.jpg'));
      symlinkSync('../outside', join(dir, 'escape-dir'));
      symlinkSync('../../outside/secret.jpg', join(dir, 'nested', 'up.jpg'));
      symlinkSync('.', join(dir, 'loop'));
      symlinkSync('landscape.jpg', join(dir, 'inside-link.jpg'));
      return dir;
    },
  };
}

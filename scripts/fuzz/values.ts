/**
 * Values that hostile requests are made of: real image paths (so some requests get deep), paths
 * that try to leave the root, Unicode edge cases, and random strings, percent-encoded or not.
 */
import fc from 'fast-check';

/** Images the fixture really has (so some requests succeed and get deep). */
export const REAL_PATHS = [
  '/landscape.jpg',
  '/UPPER.JPG',
  '/alpha.webp',
  '/猫 café 🐱.jpg',
  '/صور/مرحبا.png',
  '/nested/inner.png',
  '/nested/deeper/deep.webp',
  '/corrupt.jpg',
  '/animated.gif',
];

/** Paths that try to leave the root or reach what is not an image. */
export function hostilePaths(outside: string): string[] {
  return [
    '..',
    '/..',
    '/../outside/secret.txt',
    '/../../../../../../etc/passwd',
    '/%2e%2e/outside/secret.txt',
    '/%252e%252e/outside/secret.txt',
    '..\\..\\outside\\secret.txt',
    '\\..\\outside\\secret.jpg',
    '/nested/../../outside/secret.jpg',
    '/escape.jpg',
    '/escape-dir/secret.jpg',
    '/escape-dir/secret.txt',
    '/nested/up.jpg',
    '/loop/loop/loop/landscape.jpg',
    `${outside}/secret.txt`,
    `${outside}/secret.jpg`,
    `/${outside}/secret.jpg`,
    'C:\\Windows\\win.ini',
    'file:///etc/passwd',
    '/landscape.jpg\u0000.txt',
    '/landscape.jpg\u0000',
    '//etc/passwd',
    '/./landscape.jpg',
    '/.lenslet/lock',
    '/.lenslet/labels.log.jsonl',
    '/.lenslet/views.json',
    '/.hidden.jpg',
    '/notes.txt',
    '/proc/self/environ',
    '/\uff0e\uff0e/outside/secret.txt',
    '/..\u2215outside\u2215secret.txt',
    '/nested/deeper/../../../outside/secret.jpg',
    `/${'a/'.repeat(3000)}x.jpg`,
  ];
}

/** Unicode edge cases: NFD of real names, RTL, emoji, joiners, BOM, lone surrogates. */
export const UNICODE = [
  '/猫 cafe\u0301 🐱.jpg',
  '/\u0635\u0648\u0631/\u0645\u0631\u062d\u0628\u0627.png',
  '/\u202eexe.jpg',
  '/👩‍👩‍👧‍👦.jpg',
  '/\ufefflandscape.jpg',
  '/land\u200bscape.jpg',
  '/\ud800.jpg',
  '/\udfff\ud800.jpg',
  'e\u0301',
  '\u0000',
  '\u001b[31mred',
  '\u2028\u2029',
  'A'.repeat(5000),
];

export const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...UNICODE),
);

/** A value that is percent-encoded for the query string (lone surrogates become U+FFFD). */
export const encode = (s: string) =>
  encodeURIComponent(
    s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );

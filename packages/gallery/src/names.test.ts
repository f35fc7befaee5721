import { expect, test } from 'vitest';
import { checkName, checkNameString } from './names.ts';

const raw = (s: string, enc: BufferEncoding = 'utf8') => Buffer.from(s, enc);

test('hidden and underscore names are skipped silently', () => {
  expect(checkName(raw('.lenslet'))).toEqual({ kind: 'hidden' });
  expect(checkName(raw('_draft.jpg'))).toEqual({ kind: 'hidden' });
});

test('invalid UTF-8, control characters and backslashes are invalid', () => {
  expect(checkName(raw('bad-\xff.jpg', 'latin1'))).toMatchObject({
    kind: 'invalid',
    reason: 'not valid UTF-8',
  });
  expect(checkName(raw('a\u0007b.jpg'))).toMatchObject({ kind: 'invalid' });
  expect(checkName(raw('a\u009fb.jpg'))).toMatchObject({ kind: 'invalid' });
  expect(checkName(raw('a\\b.jpg'))).toMatchObject({ kind: 'invalid' });
  expect(checkNameString('x\uFFFD.jpg')).toMatchObject({ kind: 'invalid' });
});

test('any script is fine and compared in NFC', () => {
  expect(checkName(raw('cafe\u0301 🐱.jpg'))).toEqual({
    kind: 'ok',
    name: 'cafe\u0301 🐱.jpg',
    nfc: 'caf\u00e9 🐱.jpg',
  });
  expect(checkName(raw('שלום.png'))).toMatchObject({ kind: 'ok', nfc: 'שלום.png' });
});

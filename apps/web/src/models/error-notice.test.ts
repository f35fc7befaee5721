import { LensletError } from '@lenslet/core';
import { expect, test } from 'vitest';
import { NetworkError } from '../api.ts';
import { type ErrorOrigin, messageOf, toNotice } from './error-notice.ts';

const http = (status: number, message = 'refused') =>
  new LensletError('internal', message, { details: { status } });

const rows: [string, unknown, ErrorOrigin, string | null][] = [
  ['network, background', new NetworkError('down'), 'background', null],
  ['network, action', new NetworkError('down'), 'action', 'Export failed: down'],
  ['401, background', http(401), 'background', null],
  ['401, action', http(401), 'action', null],
  ['500, background', http(500, 'boom'), 'background', 'Export failed: boom'],
  ['400, action', http(400, 'bad body'), 'action', 'Export failed: bad body'],
  [
    'a bug (TypeError)',
    new TypeError('x is undefined'),
    'background',
    'Export failed: x is undefined',
  ],
  ['a thrown string', 'quota', 'action', 'Export failed: quota'],
];

test.each(rows)('%s', (_, error, origin, expected) => {
  expect(toNotice('Export', error, origin)).toBe(expected);
});

test('messageOf falls back to the error name when the message is empty', () => {
  expect(messageOf(new DOMException('', 'QuotaExceededError'))).toBe('QuotaExceededError');
});

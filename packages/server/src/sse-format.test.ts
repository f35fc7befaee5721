import { expect, test } from 'vitest';
import { formatComment, formatJsonEvent, formatSse } from './sse-format.ts';

test('an event with id and JSON data is one frame closed by a blank line', () => {
  expect(formatSse({ event: 'item-updated', id: 42, data: '{"seq":42}' })).toBe(
    'event: item-updated\nid: 42\ndata: {"seq":42}\n\n',
  );
});

test('events without an id never carry an id line', () => {
  expect(formatJsonEvent('presence', { gallery_id: '/', viewing: 1, editing: 0 })).toBe(
    'event: presence\ndata: {"gallery_id":"/","viewing":1,"editing":0}\n\n',
  );
});

test('multi-line data becomes one data line per line, whatever the line break', () => {
  expect(formatSse({ data: 'a\nb\r\nc\rd' })).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n');
});

test('JSON data stays on one line even when strings hold line breaks', () => {
  const frame = formatJsonEvent('item-updated', { notes: 'line 1\nline 2' }, 3);
  expect(frame.split('\n').filter((l) => l.startsWith('data:'))).toHaveLength(1);
});

test('retry is written as whole milliseconds', () => {
  expect(formatSse({ event: 'hello', data: '{}', retry: 1000.7 })).toBe(
    'event: hello\nretry: 1000\ndata: {}\n\n',
  );
});

test('an event name with a line break or a negative id is refused', () => {
  expect(() => formatSse({ event: 'a\nb', data: '' })).toThrow(/one non-empty line/);
  expect(() => formatSse({ event: 'x', id: -1, data: '' })).toThrow(/non-negative/);
});

test('a comment is ignored by parsers and keeps the stream alive', () => {
  expect(formatComment('keepalive')).toBe(': keepalive\n\n');
});

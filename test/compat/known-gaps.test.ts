/** known-gaps.json's writer: what it writes reads back the same, in biome's JSON layout. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { formatGaps, GAPS_FILE, readGaps } from './known-gaps.ts';

test('entries sorted, empty ones dropped, one line when they fit, else one value per line', () => {
  const long = Array.from({ length: 4 }, (_, i) => `body.accepted_event.field_${i}: missing`);
  const text = formatGaps({ 'b · two': long, 'a · one': ['status: value'], 'c · none': [] });
  expect(text).toBe(
    [
      '{',
      '  "a · one": ["status: value"],',
      '  "b · two": [',
      ...long.map((g, i) => `    ${JSON.stringify(g)}${i < 3 ? ',' : ''}`),
      '  ]',
      '}',
      '',
    ].join('\n'),
  );
  expect(JSON.parse(text)).toEqual({ 'a · one': ['status: value'], 'b · two': long });
  expect(formatGaps({})).toBe('{}\n');
});

test('the committed file is in the writer’s layout (a hand edit keeps it)', () => {
  expect(readFileSync(GAPS_FILE, 'utf8')).toBe(formatGaps(readGaps()));
});

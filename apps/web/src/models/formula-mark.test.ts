import { expect, test } from 'vitest';
import { markAt } from './formula-mark.ts';

test('the character at a 1-based position is marked; past the end, the end is', () => {
  const rows: [string, number, [string, string, string]][] = [
    ['0.7*aesthetc', 5, ['0.7*', 'a', 'esthetc']],
    ['a+', 3, ['a+', ' ', '']],
    ['a+', 99, ['a+', ' ', '']],
    ['(a', 1, ['', '(', 'a']],
    ['x', 0, ['', 'x', '']],
  ];
  for (const [text, pos, want] of rows) expect(markAt(text, pos), `${text} ${pos}`).toEqual(want);
});

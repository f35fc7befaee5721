import fc from 'fast-check';
import { expect, test } from 'vitest';
import { CsvTokenizer } from './csv-tokenizer.ts';

function tokenize(chunks: string[], delimiter = ','): [string[], number][] {
  const rows: [string[], number][] = [];
  const t = new CsvTokenizer(delimiter, (fields, line) => rows.push([fields, line]));
  for (const chunk of chunks) t.feed(chunk);
  t.end();
  return rows;
}

test('quoted fields hold delimiters, doubled quotes and line breaks', () => {
  const rows = tokenize(['a,b,c\n"x, y","say ""hi""","two\nlines"\nplain,,end\n']);
  expect(rows).toEqual([
    [['a', 'b', 'c'], 1],
    [['x, y', 'say "hi"', 'two\nlines'], 2],
    [['plain', '', 'end'], 4],
  ]);
});

test('CRLF, lone CR and a missing final newline end records; blank lines are skipped', () => {
  expect(tokenize(['a,b\r\n1,2\r\n\r\n3,4\r5,6']).map(([f]) => f)).toEqual([
    ['a', 'b'],
    ['1', '2'],
    ['3', '4'],
    ['5', '6'],
  ]);
});

test('a byte order mark before the header is dropped', () => {
  expect(tokenize(['\ufeffname,score\nx,1\n'])[0]![0]).toEqual(['name', 'score']);
});

test('a quote inside an unquoted field is an ordinary character', () => {
  expect(tokenize(['a\n5" nail\n'])[1]![0]).toEqual(['5" nail']);
});

test('tabs separate TSV fields and commas stay in them', () => {
  expect(tokenize(['a\tb\n1,5\t"q\tx"\n'], '\t')[1]![0]).toEqual(['1,5', 'q\tx']);
});

test('text that ends inside a quoted field is an error naming the line', () => {
  expect(() => tokenize(['a\n1\n"open\nstill open'])).toThrow(/starts on line 3 is never closed/);
});

test('any split of the input into chunks gives the same records', () => {
  const cell = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r', 'é') }),
    fc.constant(''),
  );
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  fc.assert(
    fc.property(
      fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.nat(40), { maxLength: 6 }),
      (rows, cuts) => {
        const text = `${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\n`;
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let at = 0;
        for (const p of points) {
          chunks.push(text.slice(at, p));
          at = p;
        }
        chunks.push(text.slice(at));
        const whole = tokenize([text]).map(([f]) => f);
        expect(whole).toEqual(rows);
        expect(tokenize(chunks).map(([f]) => f)).toEqual(whole);
      },
    ),
  );
});

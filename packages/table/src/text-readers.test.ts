import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LensletError } from '@lenslet/core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  type CategoryColumn,
  type ListColumn,
  type NumberColumn,
  stringAt,
  type TextColumn,
} from './columns.ts';
import { readTable } from './read-table.ts';
import { tempDir } from './test-support.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(() => tmp.done());

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(tmp.dir, name);
  await writeFile(path, content);
  return path;
}

test('CSV with BOM, CRLF, quotes and an embedded newline loads with typed columns', async () => {
  const csv =
    '\ufeffimage_path,aesthetic,style,caption,ok\r\n' +
    'a/1.png,5.5,anime,"one, two",true\r\n' +
    'a/2.png,,photo,"line\r\nbreak ""quoted""",false\r\n' +
    '"a/3.png",NaN,anime,plain,\r\n';
  const table = await readTable(await file('t.csv', csv));
  expect(table.row_count).toBe(3);
  expect(table.paths).toEqual(['/a/1.png', '/a/2.png', '/a/3.png']);
  const aesthetic = table.columns.get('aesthetic') as NumberColumn;
  expect([...aesthetic.values]).toEqual([5.5, Number.NaN, Number.NaN]);
  expect([aesthetic.null_count, aesthetic.nan_count]).toEqual([1, 1]);
  const caption = table.columns.get('caption') as CategoryColumn;
  expect([0, 1, 2].map((r) => stringAt(caption, r))).toEqual([
    'one, two',
    'line\r\nbreak "quoted"',
    'plain',
  ]);
  expect(table.fields.find((f) => f.name === 'ok')).toMatchObject({
    role: 'categorical',
    kind: 'category',
  });
  expect(table.fields.find((f) => f.name === 'style')).toMatchObject({ role: 'categorical' });
  expect(table.fields.find((f) => f.name === 'caption')).toMatchObject({ role: 'text' });
});

test('TSV: tabs separate, short rows are padded, header names are made unique', async () => {
  const table = await readTable(
    await file('t.tsv', 'path\tscore\tscore\t\nx.jpg\t1\t2\t3\ny.jpg\t4\n'),
  );
  expect(table.fields.map((f) => f.name)).toEqual(['path', 'score', 'score_2', 'column_4']);
  const second = table.columns.get('score_2') as NumberColumn;
  expect([...second.values]).toEqual([2, Number.NaN]);
});

test('a CSV record with more fields than the header is invalid_table naming file and line', async () => {
  const path = await file('bad.csv', 'path,a\nx.png,1\ny.png,2,3\n');
  const error = await readTable(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LensletError);
  expect(error).toMatchObject({ code: 'invalid_table', details: { file: path } });
  expect((error as Error).message).toBe(
    `${path}: cannot read as CSV: line 3 has 3 fields, the header has 2`,
  );
});

test('JSONL: union of keys, absent keys missing, lists of strings, a bad line is named', async () => {
  const lines = [
    '{"file": "a.webp", "clip": 0.5, "tags": ["x", "y"]}',
    '',
    '{"file": "b.webp", "extra": "late", "tags": null}',
    '{"file": "c.webp", "clip": 0.25, "tags": []}',
  ];
  const table = await readTable(await file('t.jsonl', `${lines.join('\r\n')}\n`));
  expect(table.row_count).toBe(3);
  expect(table.path_column).toBe('file');
  expect([...(table.columns.get('clip') as NumberColumn).values]).toEqual([0.5, Number.NaN, 0.25]);
  const extra = table.columns.get('extra') as CategoryColumn;
  expect([0, 1, 2].map((r) => stringAt(extra, r))).toEqual([null, 'late', null]);
  const tags = table.columns.get('tags') as ListColumn;
  expect(tags.kind).toBe('list');
  expect(tags.null_count).toBe(1);
  const bad = await file('bad.jsonl', '{"file": "a.png"}\n{"file": \n');
  await expect(readTable(bad)).rejects.toThrow(
    /bad\.jsonl: cannot read as JSONL: line 2 is not valid JSON/,
  );
  const notObject = await file('arr.jsonl', '[1,2]\n');
  await expect(readTable(notObject)).rejects.toThrow(/line 1 is not a JSON object/);
});

test('a file that is not UTF-8 text, a missing file and an unknown extension are invalid_table', async () => {
  await expect(
    readTable(await file('latin.csv', Buffer.from([0x70, 0x0a, 0xe9, 0x0a]))),
  ).rejects.toMatchObject({
    code: 'invalid_table',
  });
  await expect(readTable(join(tmp.dir, 'none.csv'))).rejects.toThrow(
    /none\.csv: cannot read as CSV: no such file/,
  );
  await expect(readTable(await file('x.xlsx', 'x'))).rejects.toThrow(/not a table/);
});

test('a text column of item captions stays searchable text', async () => {
  const rows = Array.from({ length: 80 }, (_, i) => `img${i}.png,word ${i}`);
  const table = await readTable(await file('c.csv', `path,blurb\n${rows.join('\n')}\n`));
  const blurb = table.fields.find((f) => f.name === 'blurb')!;
  expect(blurb).toMatchObject({ role: 'text', distinct: 80 });
  expect((table.columns.get('blurb') as CategoryColumn | TextColumn).kind).toBe('category');
});

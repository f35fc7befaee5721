import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LensletError } from '@lenslet/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type CategoryColumn,
  type ListColumn,
  listAt,
  type NumberColumn,
  stringAt,
} from './columns.ts';
import { readParquet } from './parquet-reader.ts';
import { readTable } from './read-table.ts';
import { duck, tempDir, writeParquet } from './test-support.ts';

const ROWS = 5000;

/** Every column computed from the row number i, in SQL (for DuckDB) and in JS (the expectation). */
const SELECT = `SELECT
  'img/' || lpad(i::VARCHAR, 5, '0') || '.png' AS image_path,
  CASE WHEN i % 10 = 0 THEN NULL WHEN i % 10 = 1 THEN 'NaN'::DOUBLE ELSE i * 0.5 END AS score,
  (i % 7)::FLOAT / 4 AS ratio,
  CASE WHEN i % 9 = 0 THEN NULL ELSE (i % 100)::INTEGER END AS faces,
  (i * 1000003)::BIGINT AS big,
  CASE WHEN i % 11 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
  CASE WHEN i % 13 = 0 THEN NULL ELSE (['anime','photo','render'])[1 + i % 3] END AS style,
  'caption number ' || i AS caption,
  CASE WHEN i % 17 = 0 THEN NULL WHEN i % 5 = 0 THEN []::VARCHAR[] ELSE ['k' || (i % 4), 'k' || (i % 3)] END AS tags,
  TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) SECOND AS taken_at,
  (i % 1000)::DECIMAL(10, 2) / 8 AS price,
  [i::FLOAT, 1.0::FLOAT] AS embedding,
  {'a': i} AS nested
FROM range(${ROWS}) t(i)`;

const expected = {
  score: (i: number) => (i % 10 === 0 ? null : i % 10 === 1 ? Number.NaN : i * 0.5),
  faces: (i: number) => (i % 9 === 0 ? null : i % 100),
  flag: (i: number) => (i % 11 === 0 ? null : String(i % 2 === 0)),
  style: (i: number) => (i % 13 === 0 ? null : ['anime', 'photo', 'render'][i % 3]!),
  tags: (i: number) => (i % 17 === 0 ? null : i % 5 === 0 ? [] : [`k${i % 4}`, `k${i % 3}`]),
};

function numberAt(c: NumberColumn, i: number): number | null {
  const v = c.values[i]!;
  return Number.isNaN(v) && (c.nulls[i >>> 3]! & (1 << (i & 7))) !== 0 ? null : v;
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(() => tmp.done());

describe.each([
  ['snappy, page v1', 'COMPRESSION snappy, ROW_GROUP_SIZE 1024'],
  ['zstd, page v2', 'COMPRESSION zstd, ROW_GROUP_SIZE 1024, PARQUET_VERSION v2'],
  ['gzip', 'COMPRESSION gzip, ROW_GROUP_SIZE 2048'],
  ['uncompressed, one row group', 'COMPRESSION uncompressed'],
])('a DuckDB-written file (%s)', (name, options) => {
  let file = '';
  beforeAll(async () => {
    file = join(tmp.dir, `${name.replace(/\W+/g, '-')}.parquet`);
    await writeParquet(file, SELECT, options);
  });

  test('every flat column matches the values it was written from', async () => {
    const raw = await readParquet(file);
    expect(raw.row_count).toBe(ROWS);
    const col = (n: string) => raw.columns.find((c) => c.name === n)!;
    const score = col('score') as NumberColumn;
    const faces = col('faces') as NumberColumn;
    const ratio = col('ratio') as NumberColumn;
    const big = col('big') as NumberColumn;
    const price = col('price') as NumberColumn;
    const taken = col('taken_at') as NumberColumn;
    for (let i = 0; i < ROWS; i++) {
      expect(numberAt(score, i)).toEqual(expected.score(i));
      expect(numberAt(faces, i)).toBe(expected.faces(i));
      expect(ratio.values[i]).toBe((i % 7) / 4);
      expect(big.values[i]).toBe(i * 1000003);
      expect(price.values[i]).toBeCloseTo((i % 1000) / 8, 2);
      expect(taken.values[i]).toBe(Date.UTC(2024, 0, 1) + i * 1000);
      expect(stringAt(col('flag') as CategoryColumn, i)).toBe(expected.flag(i));
      expect(stringAt(col('style') as CategoryColumn, i)).toBe(expected.style(i));
      expect(stringAt(col('caption') as CategoryColumn, i)).toBe(`caption number ${i}`);
      expect(listAt(col('tags') as ListColumn, i)).toEqual(expected.tags(i));
    }
    expect([score.null_count, score.nan_count]).toEqual([ROWS / 10, ROWS / 10]);
    expect(faces.integer).toBe(true);
    expect(taken.temporal).toBe(true);
    expect(col('flag')).toMatchObject({ kind: 'category', boolean: true });
    expect(raw.unsupported.map((u) => u.name)).toEqual(['embedding', 'nested']);
  });
});

test('the fixtures use dictionary pages and several row groups', async () => {
  const file = join(tmp.dir, 'snappy-page-v1.parquet');
  const rows = await duck(
    `SELECT count(DISTINCT row_group_id), list(DISTINCT encodings) FROM parquet_metadata('${file}') WHERE path_in_schema = 'style'`,
  );
  expect(Number(rows[0]![0])).toBeGreaterThan(1);
  expect(String(rows[0]![1])).toMatch(/PLAIN_DICTIONARY|RLE_DICTIONARY/);
});

describe('a corrupt table is one invalid_table error naming the file', () => {
  test('cut short', async () => {
    const whole = await readFile(join(tmp.dir, 'snappy-page-v1.parquet'));
    const cut = join(tmp.dir, 'cut.parquet');
    await writeFile(cut, whole.subarray(0, whole.length >> 1));
    const error = await readTable(cut).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LensletError);
    expect(error).toMatchObject({ code: 'invalid_table', details: { file: cut } });
    expect((error as Error).message).toMatch(
      /cut\.parquet: cannot read as PARQUET: it has no PAR1 header or footer \(not a Parquet file, or cut short\)$/,
    );
  });

  test('a damaged column chunk', async () => {
    const bytes = Buffer.from(await readFile(join(tmp.dir, 'snappy-page-v1.parquet')));
    bytes.fill(0x5a, 200, 40_000);
    const damaged = join(tmp.dir, 'damaged.parquet');
    await writeFile(damaged, bytes);
    const error = await readTable(damaged).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_table', details: { file: damaged } });
    expect((error as Error).message.startsWith(`${damaged}: cannot read as PARQUET: `)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  test('not Parquet at all', async () => {
    const text = join(tmp.dir, 'text.parquet');
    await writeFile(text, 'image_path\nx.png\n');
    await expect(readTable(text)).rejects.toMatchObject({ code: 'invalid_table' });
  });
});

/**
 * Test helpers of @lenslet/table (not exported): temp folders, Parquet files written by DuckDB
 * (a different Parquet implementation than our reader), and the original's fixture.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export const ORIGINAL_DIR = join(import.meta.dirname, '../../../test/fixtures/original-table');

export async function tempDir(): Promise<{ dir: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lenslet-table-'));
  return { dir, done: () => rm(dir, { recursive: true, force: true }) };
}

/** Run SQL in a fresh in-memory DuckDB; returns the rows of the last statement as arrays. */
export async function duck(...statements: string[]): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    let rows: unknown[][] = [];
    for (const sql of statements)
      rows = (await (await connection.run(sql)).getRowsJS()) as unknown[][];
    return rows;
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/** Write `select` to a Parquet file with DuckDB's COPY options (e.g. `COMPRESSION zstd`). */
export async function writeParquet(
  file: string,
  select: string,
  options = 'COMPRESSION snappy',
): Promise<void> {
  await duck(`COPY (${select}) TO '${file}' (FORMAT parquet, ${options})`);
}

export type OriginalRow = {
  index: number;
  image_path: string;
  metrics: Record<string, number | null>;
  nan: Record<string, boolean>;
  categoricals: Record<string, string | null>;
  caption: string;
  keywords: string[] | null;
};

export type OriginalRows = {
  metric_columns: string[];
  categorical_columns: string[];
  rows: OriginalRow[];
};

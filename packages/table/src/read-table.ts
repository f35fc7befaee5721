/**
 * Entry point for loading a table file: picks the reader by extension, classifies the columns,
 * and turns any failure into one `invalid_table` LensletError naming the file and the problem.
 */
import { extname } from 'node:path';
import { isLensletError, LensletError } from '@lenslet/core';
import type { RawTable } from './columns.ts';
import { readParquet } from './parquet-reader.ts';
import { createTable, type Table, type TableFormat, type TableOptions } from './table.ts';
import { readDelimited, readJsonl } from './text-readers.ts';

const FORMATS: Record<string, TableFormat> = {
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** The format of a table file by its extension, or null when it is not a table. */
export function tableFormat(file: string): TableFormat | null {
  return FORMATS[extname(file).toLowerCase()] ?? null;
}

function readRaw(file: string, format: TableFormat): Promise<RawTable> {
  switch (format) {
    case 'parquet':
      return readParquet(file);
    case 'csv':
      return readDelimited(file, ',');
    case 'tsv':
      return readDelimited(file, '\t');
    case 'jsonl':
      return readJsonl(file);
  }
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  if (e?.code === 'EACCES') return 'permission denied';
  if (e?.code === 'EISDIR') return 'it is a folder';
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.replace(/^parquet /, '');
}

export type ReadTableOptions = Omit<TableOptions, 'file' | 'format'> & {
  /** Overrides the format the extension implies. */
  readonly format?: TableFormat;
};

/** Load a table file. Throws `invalid_table` (with `details.file`) when it cannot be used. */
export async function readTable(file: string, options: ReadTableOptions = {}): Promise<Table> {
  const format = options.format ?? tableFormat(file);
  if (!format) {
    throw new LensletError(
      'invalid_table',
      `${file}: not a table (use .parquet, .csv, .tsv or .jsonl)`,
      {
        details: { file },
      },
    );
  }
  let raw: RawTable;
  try {
    raw = await readRaw(file, format);
  } catch (error) {
    if (isLensletError(error)) throw error;
    throw new LensletError(
      'invalid_table',
      `${file}: cannot read as ${format.toUpperCase()}: ${describe(error)}`,
      {
        cause: error,
        details: { file },
      },
    );
  }
  return createTable(raw, { ...options, file, format });
}

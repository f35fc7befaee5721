/**
 * CSV, TSV and JSONL → `RawTable`, streamed from disk in chunks (never the whole file as one
 * string). Column types are inferred per column (see inferring-builder.ts).
 * - CSV/TSV: the first record is the header; empty header cells become `column_<n>` and repeated
 *   names get `_2`, `_3`… A record with more fields than the header is an error (line named);
 *   one with fewer is padded with missing cells.
 * - JSONL: one JSON object per line; blank lines are skipped; columns are the union of keys in
 *   first-seen order, absent keys are missing cells.
 */
import { createReadStream } from 'node:fs';
import type { RawTable } from './columns.ts';
import { CsvTokenizer } from './csv-tokenizer.ts';
import { InferringBuilder } from './inferring-builder.ts';

async function* textChunks(file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    yield decoder.decode(chunk as Buffer, { stream: true });
  }
  yield decoder.decode();
}

function uniqueNames(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((raw, i) => {
    const base = raw.trim() === '' ? `column_${i + 1}` : raw.trim();
    let name = base;
    for (let k = 2; seen.has(name); k++) name = `${base}_${k}`;
    seen.add(name);
    return name;
  });
}

/** Read a delimited text file (`,` for CSV, `\t` for TSV). */
export async function readDelimited(file: string, delimiter: ',' | '\t'): Promise<RawTable> {
  let builders: InferringBuilder[] | null = null;
  let rows = 0;
  const tokenizer = new CsvTokenizer(delimiter, (fields, line) => {
    if (!builders) {
      builders = uniqueNames(fields).map((name) => new InferringBuilder(name));
      return;
    }
    if (fields.length > builders.length) {
      throw new Error(
        `line ${line} has ${fields.length} fields, the header has ${builders.length}`,
      );
    }
    for (let c = 0; c < builders.length; c++) builders[c]!.pushText(fields[c] ?? '');
    rows++;
  });
  for await (const text of textChunks(file)) tokenizer.feed(text);
  tokenizer.end();
  if (!builders) throw new Error('it is empty (no header line)');
  const list: InferringBuilder[] = builders;
  return { row_count: rows, columns: list.map((b) => b.finish()), unsupported: [] };
}

/** Read JSON Lines: one object per line. */
export async function readJsonl(file: string): Promise<RawTable> {
  const builders = new Map<string, InferringBuilder>();
  let rows = 0;
  let line = 0;
  let rest = '';
  const take = (text: string) => {
    line++;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new Error(`line ${line} is not valid JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error(`line ${line} is not a JSON object`);
    }
    for (const [key, cell] of Object.entries(value)) {
      let builder = builders.get(key);
      if (!builder) {
        builder = new InferringBuilder(key);
        for (let r = 0; r < rows; r++) builder.pushValue(null);
        builders.set(key, builder);
      }
      builder.pushValue(cell);
    }
    rows++;
    for (const builder of builders.values()) if (builder.length < rows) builder.pushValue(null);
  };
  for await (const text of textChunks(file)) {
    const lines = (rest + text).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) take(l.endsWith('\r') ? l.slice(0, -1) : l);
  }
  if (rest !== '') take(rest);
  const columns = [...builders.values()].map((b) => b.finish());
  return { row_count: rows, columns, unsupported: [] };
}

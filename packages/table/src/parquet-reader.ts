/**
 * Parquet → `RawTable`. Flat columns are decoded page by page into typed arrays (see
 * parquet-page.ts), one column chunk in memory at a time; lists of strings go through
 * hyparquet's generic reader; other nested columns are listed as unsupported.
 * Codecs: SNAPPY (built into hyparquet), GZIP, BROTLI, ZSTD, LZ4 (hyparquet-compressors).
 */
import { type FileHandle, open } from 'node:fs/promises';
import type { AsyncBuffer, FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';
import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { isListLike } from 'hyparquet/src/schema.js';
import { compressors } from 'hyparquet-compressors';
import { ListBuilder } from './column-builders.ts';
import type { Column, RawTable, UnsupportedColumn } from './columns.ts';
import {
  type ColumnDecoder,
  decodeDataPage,
  decodeDictionaryPage,
  plainKind,
} from './parquet-page.ts';
import { NumberSink, type PageSink, StringSink } from './parquet-sinks.ts';

const TEMPORAL = new Set(['DATE', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS']);

type Kind = 'number' | 'temporal' | 'string' | 'boolean' | 'unsupported';

function kindOf(element: SchemaElement): Kind {
  const { type, converted_type: ctype, logical_type: ltype } = element;
  if (ctype === 'DECIMAL' || ltype?.type === 'FLOAT16') return 'number';
  if (
    type === 'INT96' ||
    TEMPORAL.has(ctype ?? '') ||
    ltype?.type === 'TIMESTAMP' ||
    ltype?.type === 'DATE'
  )
    return 'temporal';
  switch (type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
    case 'FLOAT':
    case 'DOUBLE':
      return ctype === 'TIME_MILLIS' || ctype === 'TIME_MICROS' || ctype === 'INTERVAL'
        ? 'unsupported'
        : 'number';
    case 'BYTE_ARRAY':
      return ctype === 'BSON' ? 'unsupported' : 'string';
    case 'FIXED_LEN_BYTE_ARRAY':
      return ltype?.type === 'UUID' ? 'string' : 'unsupported';
    default:
      return 'unsupported';
  }
}

async function readAt(handle: FileHandle, start: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(bytes, done, length - done, start + done);
    if (bytesRead === 0)
      throw new Error(`the file ends at byte ${start + done}, inside a column chunk`);
    done += bytesRead;
  }
  return bytes;
}

/** Reads column chunks into one buffer reused from chunk to chunk (grown when needed). */
class ChunkReader {
  private buffer = new Uint8Array(1 << 20);
  constructor(private readonly handle: FileHandle) {}

  /** The bytes; valid until the next call. */
  async read(start: number, length: number): Promise<Uint8Array> {
    if (this.buffer.length < length)
      this.buffer = new Uint8Array(Math.max(length, this.buffer.length * 2));
    const bytes = this.buffer.subarray(0, length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(bytes, done, length - done, start + done);
      if (bytesRead === 0)
        throw new Error(`the file ends at byte ${start + done}, inside a column chunk`);
      done += bytesRead;
    }
    return bytes;
  }
}

async function readMetadata(handle: FileHandle, size: number): Promise<FileMetaData> {
  if (size < 12) throw new Error(`it is ${size} bytes long, too short for Parquet`);
  const head = await readAt(handle, 0, 4);
  const tail = await readAt(handle, size - 8, 8);
  const magic = (b: Uint8Array, at: number) => String.fromCharCode(...b.subarray(at, at + 4));
  if (magic(head, 0) !== 'PAR1' || magic(tail, 4) !== 'PAR1') {
    throw new Error('it has no PAR1 header or footer (not a Parquet file, or cut short)');
  }
  const length = new DataView(tail.buffer).getUint32(0, true);
  if (length + 12 > size) throw new Error(`its footer claims ${length} bytes of metadata`);
  const footer = await readAt(handle, size - 8 - length, length + 8);
  return parquetMetadata(footer.buffer as ArrayBuffer);
}

async function readFlatColumn(
  chunks: ChunkReader,
  metadata: FileMetaData,
  index: number,
  root: SchemaTree,
  node: SchemaTree,
  sink: PageSink,
): Promise<void> {
  const element = node.element;
  const maxDef = element.repetition_type === 'REQUIRED' ? 0 : 1;
  let row = 0;
  for (const group of metadata.row_groups) {
    const meta = group.columns[index]?.meta_data;
    if (!meta) throw new Error(`row group without metadata for column "${element.name}"`);
    const decoder: ColumnDecoder = {
      pathInSchema: meta.path_in_schema,
      type: meta.type,
      element,
      schemaPath: [root, node],
      codec: meta.codec,
      compressors,
      parsers: DEFAULT_PARSERS,
      plain: plainKind(element),
    } as ColumnDecoder;
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const bytes = await chunks.read(start, Number(meta.total_compressed_size));
    const reader = {
      view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      offset: 0,
    };
    const end = row + Number(group.num_rows);
    while (row < end) {
      if (reader.offset >= bytes.length)
        throw new Error(`column "${element.name}" has fewer values than rows`);
      const header = parquetHeader(reader);
      const page = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size);
      reader.offset += header.compressed_page_size;
      if (header.type === 'DICTIONARY_PAGE')
        sink.dictionary(decodeDictionaryPage(header, page, decoder));
      else if (header.type === 'DATA_PAGE' || header.type === 'DATA_PAGE_V2') {
        const decoded = decodeDataPage(header, page, decoder, maxDef);
        if (row + decoded.count > end)
          throw new Error(`column "${element.name}" has more values than rows`);
        sink.page(row, decoded);
        row += decoded.count;
      }
    }
  }
}

function fileBuffer(handle: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    slice: async (start, end) => {
      const bytes = await readAt(handle, start, (end ?? size) - start);
      return bytes.buffer as ArrayBuffer;
    },
  };
}

async function readStringList(
  handle: FileHandle,
  size: number,
  metadata: FileMetaData,
  name: string,
): Promise<Column> {
  const builder = new ListBuilder();
  const lists: unknown[] = [];
  await parquetRead({
    file: fileBuffer(handle, size),
    metadata,
    columns: [name],
    compressors,
    onChunk: ({ columnData, rowStart }) => {
      for (let i = 0; i < columnData.length; i++) lists[rowStart + i] = columnData[i];
    },
  });
  for (let i = 0; i < Number(metadata.num_rows); i++) {
    const list = lists[i];
    builder.push(Array.isArray(list) ? list : null);
  }
  return builder.finish(name);
}

function leafCount(node: SchemaTree): number {
  if (node.children.length === 0) return 1;
  let total = 0;
  for (const child of node.children) total += leafCount(child);
  return total;
}

function leafType(node: SchemaTree): SchemaElement | undefined {
  let n: SchemaTree | undefined = node;
  while (n && n.children.length > 0) n = n.children.length === 1 ? n.children[0] : undefined;
  return n?.element;
}

/** Read a whole Parquet file into columns. Throws a plain Error saying what is wrong. */
export async function readParquet(file: string): Promise<RawTable> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const metadata = await readMetadata(handle, size);
    const rowCount = Number(metadata.num_rows);
    const tree = parquetSchema(metadata);
    const chunks = new ChunkReader(handle);
    const columns: Column[] = [];
    const unsupported: UnsupportedColumn[] = [];
    let leaf = 0;
    for (const node of tree.children) {
      const name = node.element.name;
      const leaves = leafCount(node);
      const index = leaf;
      leaf += leaves;
      if (node.children.length === 0 && node.element.repetition_type !== 'REPEATED') {
        const kind = kindOf(node.element);
        if (kind === 'unsupported') {
          unsupported.push({
            name,
            reason: `Parquet type ${node.element.converted_type ?? node.element.type}`,
          });
          continue;
        }
        const sink =
          kind === 'number' || kind === 'temporal'
            ? new NumberSink(rowCount, kind === 'temporal')
            : new StringSink(rowCount, kind === 'boolean');
        await readFlatColumn(chunks, metadata, index, tree, node, sink);
        columns.push(sink.finish(name));
      } else if (isListLike(node) && leafType(node)?.type === 'BYTE_ARRAY') {
        columns.push(await readStringList(handle, size, metadata, name));
      } else {
        const reason = isListLike(node)
          ? 'list of numbers (an embedding?); only lists of strings are loaded'
          : 'nested column; only flat columns and lists of strings are loaded';
        unsupported.push({ name, reason });
      }
    }
    return { row_count: rowCount, columns, unsupported };
  } finally {
    await handle.close();
  }
}

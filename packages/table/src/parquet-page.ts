/**
 * Decoding of one data page of a flat (non-nested) Parquet column into definition levels and
 * values, on top of hyparquet's page primitives. PLAIN and dictionary pages (nearly all pages
 * real writers produce) are decoded here into typed arrays; other encodings (DELTA_*,
 * BYTE_STREAM_SPLIT, RLE booleans, ALP) go through hyparquet's own page readers.
 */
import type { CompressionCodec, Compressors, PageHeader, SchemaElement } from 'hyparquet';
import { convert } from 'hyparquet/src/convert.js';
import { readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { isPlainNumberType, plainNumbers, plainStrings } from './parquet-plain.ts';
import { decompress, indexScratch, levelScratch } from './parquet-scratch.ts';
import { decodeRleHybrid } from './rle-hybrid.ts';

export type ColumnDecoder = Parameters<typeof convert>[1] & {
  codec: CompressionCodec;
  compressors?: Compressors;
  /** Values need no conversion beyond `plainNumbers` / `plainStrings`. */
  plain: 'number' | 'string' | null;
};

/** Which fast PLAIN path a column element can take (none for decimals, dates, unsigned…). */
export function plainKind(element: SchemaElement): 'number' | 'string' | null {
  const { type, converted_type: ctype, logical_type: ltype } = element;
  if (type === 'BYTE_ARRAY' && (!ctype || ctype === 'UTF8' || ctype === 'ENUM')) return 'string';
  const signedInt = !ctype || /^INT_(8|16|32|64)$/.test(ctype);
  const plainLogical = !ltype || (ltype.type === 'INTEGER' && ltype.isSigned);
  if (type && isPlainNumberType(type) && signedInt && plainLogical) return 'number';
  return null;
}

/** Page values: for row `k` of the page, present when `defs` is null or `defs[k] === 1`. */
export type FlatPage = {
  readonly count: number;
  readonly defs: Uint8Array | null;
  /** Values of the present rows, in order (absent when `indices` is set). */
  readonly values: ArrayLike<unknown> | null;
  /** Dictionary indices of the present rows (dictionary-encoded pages). */
  readonly indices: Uint32Array | null;
};

function isDictionary(encoding: string): boolean {
  return encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY';
}

function readValues(
  page: Uint8Array,
  offset: number,
  encoding: string,
  present: number,
  decoder: ColumnDecoder,
): Pick<FlatPage, 'values' | 'indices'> {
  if (isDictionary(encoding)) {
    const indices = indexScratch(present);
    if (present > 0) {
      const width = page[offset]!;
      decodeRleHybrid(page, offset + 1, page.length, width, present, indices);
    }
    return { values: null, indices };
  }
  if (decoder.plain === 'number') {
    return { values: plainNumbers(page, offset, decoder.type, present), indices: null };
  }
  if (decoder.plain === 'string')
    return { values: plainStrings(page, offset, present), indices: null };
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const plain = readPlain({ view, offset }, decoder.type, present, decoder.element.type_length);
  return { values: convert(plain, decoder), indices: null };
}

/** Definition levels of a flat column as 1 (present) / 0 (null), or null when all are present. */
function presence(defs: Uint8Array, count: number): { defs: Uint8Array | null; present: number } {
  let present = 0;
  for (let k = 0; k < count; k++) present += defs[k]!;
  return { defs: present === count ? null : defs, present };
}

/** Decode a DATA_PAGE or DATA_PAGE_V2 of a flat column whose max definition level is `maxDef`. */
export function decodeDataPage(
  header: PageHeader,
  compressed: Uint8Array,
  decoder: ColumnDecoder,
  maxDef: number,
): FlatPage {
  const v1 = header.data_page_header;
  const v2 = header.data_page_header_v2;
  const encoding = (v1 ?? v2)?.encoding ?? 'PLAIN';
  const simple = encoding === 'PLAIN' || isDictionary(encoding);
  if (v1 && simple) {
    const count = v1.num_values;
    const page = decompress(
      compressed,
      header.uncompressed_page_size,
      decoder.codec,
      decoder.compressors,
    );
    let offset = 0;
    let levels = { defs: null as Uint8Array | null, present: count };
    if (maxDef > 0) {
      const length = new DataView(page.buffer, page.byteOffset).getUint32(0, true);
      const defs = levelScratch(count);
      decodeRleHybrid(page, 4, 4 + length, 1, count, defs);
      offset = 4 + length;
      levels = presence(defs, count);
    }
    return {
      count,
      defs: levels.defs,
      ...readValues(page, offset, encoding, levels.present, decoder),
    };
  }
  if (v2 && simple) {
    const count = v2.num_rows;
    let levels = { defs: null as Uint8Array | null, present: count };
    const levelBytes = v2.repetition_levels_byte_length + v2.definition_levels_byte_length;
    if (maxDef > 0) {
      const defs = levelScratch(count);
      const start = v2.repetition_levels_byte_length;
      decodeRleHybrid(compressed, start, levelBytes, 1, count, defs);
      levels = presence(defs, count);
    }
    let page = compressed.subarray(levelBytes);
    const size = header.uncompressed_page_size - levelBytes;
    if (v2.is_compressed !== false && size > 0) {
      page = decompress(page, size, decoder.codec, decoder.compressors);
    }
    return { count, defs: levels.defs, ...readValues(page, 0, encoding, levels.present, decoder) };
  }
  // Rare encodings: hyparquet's readers (definition levels as plain arrays).
  const decoded = v1
    ? readDataPage(
        decompress(compressed, header.uncompressed_page_size, decoder.codec, decoder.compressors),
        v1,
        decoder as never,
      )
    : readDataPageV2(compressed, header, decoder as never);
  const count = v1 ? v1.num_values : v2!.num_rows;
  let defs: Uint8Array | null = null;
  const levels = decoded.definitionLevels ?? [];
  if (levels.length > 0) {
    defs = new Uint8Array(count);
    for (let k = 0; k < count; k++) defs[k] = levels[k] === maxDef ? 1 : 0;
  }
  if (isDictionary(encoding)) {
    return {
      count,
      defs,
      values: null,
      indices: Uint32Array.from(decoded.dataPage as ArrayLike<number>),
    };
  }
  return { count, defs, values: convert(decoded.dataPage, decoder), indices: null };
}

/** Decode a DICTIONARY_PAGE into converted values (strings, numbers, dates…). */
export function decodeDictionaryPage(
  header: PageHeader,
  compressed: Uint8Array,
  decoder: ColumnDecoder,
): ArrayLike<unknown> {
  const page = decompress(
    compressed,
    header.uncompressed_page_size,
    decoder.codec,
    decoder.compressors,
  );
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const count = header.dictionary_page_header?.num_values ?? 0;
  return convert(
    readPlain({ view, offset: 0 }, decoder.type, count, decoder.element.type_length),
    decoder,
  );
}

/**
 * PNG text chunk payloads (PNG spec §11.3.4): tEXt `keyword\0text` (Latin-1); zTXt
 * `keyword\0method compressed` (Latin-1 after inflate); iTXt `keyword\0flag method language\0
 * translated keyword\0text` (UTF-8, compressed when flag is 1). Keywords are 1–79 Latin-1 bytes.
 */
import { inflateCapped } from './inflate.ts';
import { indexOfNul, latin1, utf8Text } from './text-decode.ts';
import type { TextChunk } from './types.ts';

export type TextChunkType = TextChunk['type'];

export const TEXT_CHUNK_TYPES: ReadonlySet<string> = new Set(['tEXt', 'zTXt', 'iTXt']);

/** Decompressed bytes still allowed for this file (shared by all its chunks). */
export type InflateBudget = { left: number };

export type DecodedChunk =
  | { readonly ok: true; readonly chunk: TextChunk }
  | { readonly ok: false; readonly reason: string };

function fail(reason: string): DecodedChunk {
  return { ok: false, reason };
}

function inflateText(
  data: Uint8Array,
  budget: InflateBudget,
): { ok: true; bytes: Uint8Array } | { ok: false; reason: string } {
  const out = inflateCapped(data, budget.left);
  if (out.ok) budget.left -= out.bytes.length;
  return out;
}

/** Decode one text chunk's data; a malformed chunk gives a reason instead (never throws). */
export function decodeTextChunk(
  type: TextChunkType,
  data: Uint8Array,
  budget: InflateBudget,
): DecodedChunk {
  const nul = indexOfNul(data);
  if (nul < 1 || nul > 79) return fail('keyword is missing or longer than 79 bytes');
  const keyword = latin1(data.subarray(0, nul));
  if (type === 'tEXt')
    return { ok: true, chunk: { type, keyword, text: latin1(data.subarray(nul + 1)) } };
  if (type === 'zTXt') {
    if (data.length < nul + 2) return fail('compression method is missing');
    if (data[nul + 1] !== 0) return fail(`unknown compression method ${data[nul + 1]}`);
    const out = inflateText(data.subarray(nul + 2), budget);
    if (!out.ok) return fail(out.reason);
    return { ok: true, chunk: { type, keyword, text: latin1(out.bytes) } };
  }
  if (data.length < nul + 3) return fail('compression flag is missing');
  const compressed = data[nul + 1]!;
  const method = data[nul + 2]!;
  const langEnd = indexOfNul(data, nul + 3);
  const transEnd = langEnd < 0 ? -1 : indexOfNul(data, langEnd + 1);
  if (transEnd < 0) return fail('language tag or translated keyword is not terminated');
  const language_tag = latin1(data.subarray(nul + 3, langEnd));
  const translated_keyword = utf8Text(data.subarray(langEnd + 1, transEnd));
  let body = data.subarray(transEnd + 1);
  if (compressed === 1) {
    if (method !== 0) return fail(`unknown compression method ${method}`);
    const out = inflateText(body, budget);
    if (!out.ok) return fail(out.reason);
    body = out.bytes;
  } else if (compressed !== 0) {
    return fail(`bad compression flag ${compressed}`);
  }
  return {
    ok: true,
    chunk: { type, keyword, language_tag, translated_keyword, text: utf8Text(body) },
  };
}

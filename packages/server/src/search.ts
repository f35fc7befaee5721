/**
 * Text rules of `/search` and the `text_query` of `/folders/query`: case-insensitive, Unicode
 * NFC, every term must appear in the image's path (which includes its name), tags or notes;
 * `"double quoted"` text is one term; `labelTextOf` is the tags-and-notes text every query
 * implementation matches against. (Matching itself is the engine's: query/lenslet-query.ts.)
 */
import type { Labels } from '@lenslet/core';

/** 'Ünïcode CAT' => 'ünïcode cat' (NFC, lower case; locale independent). */
export function foldText(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** 'cat "golden hour"  dog' => ['cat', 'golden hour', 'dog'] (folded, empty terms dropped) */
export function searchTerms(query: string): string[] {
  const terms: string[] = [];
  for (const match of query.matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = foldText((match[1] ?? match[2] ?? '').trim());
    if (term !== '') terms.push(term);
  }
  return terms;
}

const foldedLabelText = new WeakMap<Labels, string>();
/** Tags and notes, folded, one per line (cached per labels object). */
export function labelTextOf(labels: Labels | undefined): string {
  if (labels === undefined || (labels.tags.length === 0 && labels.notes === '')) return '';
  let value = foldedLabelText.get(labels);
  if (value === undefined) {
    value = foldText(`${labels.tags.join('\n')}\n${labels.notes}`);
    foldedLabelText.set(labels, value);
  }
  return value;
}

/**
 * Text rules of `/search` and the `text_query` of `/folders/query`: case-insensitive, Unicode
 * NFC, every term must appear in the image's path (which includes its name), tags or notes;
 * `"double quoted"` text is one term. (Matching itself is `textPredicate` in query.ts.)
 */

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

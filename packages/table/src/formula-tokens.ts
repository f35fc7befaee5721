/**
 * Tokens of the derived-score formula language. Positions are 1-based character offsets into
 * the formula, so an error can say "at position 7".
 *   0.7*aesthetic + 0.3*z(clip) - 2*nsfw      identifiers: [A-Za-z_][A-Za-z0-9_.:]*
 *   `odd-name` (backticks quote any field name) 'anime' / "anime" (strings, for ==, !=)
 */
import { LensletError } from '@lenslet/core';

export type Token =
  | { readonly kind: 'number'; readonly value: number; readonly pos: number }
  | { readonly kind: 'name'; readonly value: string; readonly pos: number }
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'op'; readonly value: string; readonly pos: number }
  | { readonly kind: 'end'; readonly value: ''; readonly pos: number };

/** Longest formula accepted (it travels in URLs and saved views). */
export const MAX_FORMULA_LENGTH = 2000;

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_.:]*/;
const OPERATORS = ['==', '!=', '+', '-', '*', '/', '(', ')', ','];

/** A formula error: invalid_query with the 1-based position (and the offending name, if any). */
export function formulaError(message: string, pos: number, name?: string): LensletError {
  return new LensletError('invalid_query', `${message} at position ${pos}`, {
    details: name === undefined ? { position: pos } : { position: pos, name },
  });
}

function quoted(text: string, start: number, quote: string): { value: string; end: number } {
  const close = text.indexOf(quote, start + 1);
  if (close < 0) throw formulaError(`unclosed ${quote}`, start + 1);
  return { value: text.slice(start + 1, close), end: close + 1 };
}

export function tokenize(text: string): Token[] {
  if (text.length > MAX_FORMULA_LENGTH) {
    throw formulaError(
      `formula is longer than ${MAX_FORMULA_LENGTH} characters`,
      MAX_FORMULA_LENGTH + 1,
    );
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const pos = i + 1;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), pos });
      i += number[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', value: name[0], pos });
      i += name[0].length;
      continue;
    }
    if (c === '`') {
      const { value, end } = quoted(text, i, '`');
      if (value === '') throw formulaError('empty `name`', pos);
      tokens.push({ kind: 'name', value, pos });
      i = end;
      continue;
    }
    if (c === "'" || c === '"') {
      const { value, end } = quoted(text, i, c);
      tokens.push({ kind: 'string', value, pos });
      i = end;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw formulaError(`unexpected character "${c}"`, pos);
    tokens.push({ kind: 'op', value: op, pos });
    i += op.length;
  }
  tokens.push({ kind: 'end', value: '', pos: text.length + 1 });
  return tokens;
}

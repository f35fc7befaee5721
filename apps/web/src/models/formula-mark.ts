/**
 * Where a formula is wrong, for the editor to show: the text split around the character at a
 * 1-based position (the server names it in its 400 answer). A position past the end marks the
 * end (a formula that stops too early). Pure.
 */
export function markAt(
  text: string,
  position: number,
): [before: string, at: string, after: string] {
  const i = Math.max(0, Math.min(text.length, position - 1));
  return [text.slice(0, i), text.slice(i, i + 1) || ' ', text.slice(i + 1)];
}

/**
 * Rewriting one generated block of docs/benchmarks.md (pure): the text between
 * `<!-- bench:all:<name> -->` and `<!-- /bench:all:<name> -->` is bench:all's; everything around
 * it belongs to the section's owner and is kept as it is.
 */

/** The section bench:all writes last (soak and fuzz verdicts). */
export const PROOF_SECTION = { name: 'proof', heading: 'Proof: soak and fuzz', intro: '' };

/**
 * Replace the text between `<!-- bench:all:<name> -->` and `<!-- /bench:all:<name> -->`; when the
 * markers are missing, add them at the end of the section `## <heading>` (created at the end of
 * the file when missing), or right after the title for the header.
 */
export function replaceBlock(
  doc: string,
  name: string,
  body: string,
  section: { heading: string; intro: string } | null,
): string {
  const open = `<!-- bench:all:${name} -->`;
  const close = `<!-- /bench:all:${name} -->`;
  const block = `${open}\n${body.trim()}\n${close}`;
  const from = doc.indexOf(open);
  const to = doc.indexOf(close);
  if (from >= 0 && to > from) return doc.slice(0, from) + block + doc.slice(to + close.length);
  if (section === null) {
    const title = doc.indexOf('\n', doc.indexOf('# '));
    const at = title < 0 ? doc.length : title + 1;
    return `${doc.slice(0, at)}\n${block}\n${doc.slice(at)}`;
  }
  const headingLine = `## ${section.heading}`;
  const start = doc.split('\n').findIndex((line) => line.trim() === headingLine);
  if (start < 0) {
    const intro = section.intro ? `${section.intro}\n\n` : '';
    const created = `${headingLine}\n\n${intro}${block}\n`;
    // New benchmark sections go before the proof section, which stays last.
    const proof = doc.indexOf(`\n## ${PROOF_SECTION.heading}`);
    if (proof >= 0 && section.heading !== PROOF_SECTION.heading) {
      return `${doc.slice(0, proof).trimEnd()}\n\n${created}${doc.slice(proof)}`;
    }
    return `${doc.trimEnd()}\n\n${created}`;
  }
  const lines = doc.split('\n');
  let end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  if (end < 0) end = lines.length;
  while (end > start + 1 && lines[end - 1]!.trim() === '') end -= 1;
  lines.splice(end, 0, '', block);
  return lines.join('\n');
}

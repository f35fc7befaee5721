/**
 * A few text properties of an XMP packet, without an XML parser: a property is written either
 * as an attribute (`dc:description="…"`) or as an element whose text, or first `rdf:li` (the
 * `x-default` one when languages are given), is the value. Entities are decoded.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** '&lt;a&gt; &#233;' => '<a> é' (unknown entities are kept as written). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name] ?? whole;
  });
}

function escapeName(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The value of property `name` (e.g. 'dc:description'), or null when absent or empty. */
export function xmpProperty(xmp: string, name: string): string | null {
  const n = escapeName(name);
  const attribute = new RegExp(`\\s${n}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(xmp);
  if (attribute) return nonEmpty(decodeEntities(attribute[1] ?? attribute[2] ?? ''));
  const element = new RegExp(`<${n}(?:\\s[^>]*)?>([\\s\\S]*?)</${n}>`).exec(xmp);
  if (!element) return null;
  const inner = element[1]!;
  const items = [...inner.matchAll(/<rdf:li(\s[^>]*)?>([\s\S]*?)<\/rdf:li>/g)];
  if (items.length === 0) return nonEmpty(decodeEntities(inner.replace(/<[^>]*>/g, '')));
  const preferred = items.find((m) => /xml:lang\s*=\s*["']x-default["']/.test(m[1] ?? ''));
  return nonEmpty(decodeEntities((preferred ?? items[0]!)[2]!));
}

function nonEmpty(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

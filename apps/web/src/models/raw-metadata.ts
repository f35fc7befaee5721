/**
 * The raw fields of an image's embedded metadata (the original's `meta` of `GET /metadata`) as
 * name → text rows for the inspector: each PNG text chunk under its keyword, each EXIF tag, the
 * XMP packet; any other part as JSON. `pil_info`, `quick_fields` and `quick_view_defaults` repeat
 * what the chunks and tags hold, so they are left out. Pure.
 */
const REPEATS = new Set(['pil_info', 'quick_fields', 'quick_view_defaults']);

const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function rawFields(meta: Readonly<Record<string, unknown>>): [string, string][] {
  const rows: [string, string][] = [];
  for (const [key, value] of Object.entries(meta)) {
    if (REPEATS.has(key) || value === null || value === undefined) continue;
    if (key === 'found_text_chunks' && Array.isArray(value)) {
      for (const chunk of value) {
        if (isObject(chunk))
          rows.push([`${text(chunk.keyword)} (${text(chunk.type)})`, text(chunk.text)]);
      }
    } else if (key === 'exif' && isObject(value)) {
      for (const [tag, v] of Object.entries(value)) rows.push([tag, text(v)]);
    } else rows.push([key, text(value)]);
  }
  return rows;
}

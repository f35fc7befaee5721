/**
 * The `meta` object of the original Lenslet's `GET /metadata`, built from what Lenslet read, so
 * the original's web client and scripts keep working:
 * - PNG: `{found_text_chunks, pil_info, quick_fields, quick_view_defaults}` (+ `exif` when the
 *   file has an eXIf chunk, which the original did not read);
 * - JPEG and WebP: `{exif, xmp, pil_info, quick_fields}`.
 * `pil_info` holds what Pillow puts in `Image.info` (binary values as `"bytes[N]"`);
 * `quick_fields` picks `parameters`, `Software`, `prompt`, `Description` (for JPEG/WebP from EXIF
 * Software, ImageDescription, UserComment, XPComment); `quick_view_defaults` is
 * `{prompt, model, lora}` from a `qfty_meta` JSON chunk, else the quick fields.
 */
import type { ImageMetadata } from './types.ts';

const QUICK_FIELDS = ['parameters', 'Software', 'prompt', 'Description'] as const;
const QFTY_META = 'qfty_meta';

type Json = Record<string, unknown>;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** '/models/x.safetensors' => 'x.safetensors' (absolute paths only, as the original). */
function modelValue(value: unknown): string {
  const text = scalar(value);
  if (!/^([/\\]|[A-Za-z]:[/\\])/.test(text)) return text;
  const cut = Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\'));
  return text.slice(cut + 1) || text;
}

/** {'a.safetensors': 0.8, b: 1} => 'a.safetensors (0.8), b' */
function loraValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(loraValue).filter(Boolean).join(', ');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([name, weight]) => {
        const n = modelValue(name);
        const w = scalar(weight);
        return !n ? '' : w && !['1', '1.0', '1.00'].includes(w) ? `${n} (${w})` : n;
      })
      .filter(Boolean)
      .join(', ');
  }
  return modelValue(value);
}

function qftyMeta(info: Json, m: ImageMetadata): Json {
  const texts = [
    info[QFTY_META],
    ...m.text_chunks.filter((c) => c.keyword === QFTY_META).map((c) => c.text),
  ];
  for (const text of texts) {
    if (typeof text !== 'string' || text.trim() === '') continue;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return parsed as Json;
    } catch {
      // Not JSON: the next candidate.
    }
  }
  return {};
}

const firstOf = (values: string[]) => values.find((v) => v !== '') ?? '';

function quickViewDefaults(info: Json, quick: Json, m: ImageMetadata) {
  const q = qftyMeta(info, m);
  return {
    prompt: firstOf([
      ...['prompt', 'prompt_t2i', 'prompt_i2i'].map((k) => scalar(q[k])),
      ...['prompt', 'Description', 'parameters'].map((k) => scalar(quick[k])),
    ]),
    model: firstOf([
      ...['model', 'model_name', 'model_dir', 'ckpt', 'i2i_model_path'].map((k) =>
        modelValue(q[k]),
      ),
      modelValue(quick.Software),
    ]),
    lora: firstOf([
      ...['lora', 'loras', 't2i_loras', 'i2i_loras'].map((k) => loraValue(q[k])),
      loraValue(quick.lora),
    ]),
  };
}

/** The original's `meta` for this file's metadata. */
export function toOriginalMeta(m: ImageMetadata): Json {
  const pil_info: Json = { ...m.container };
  const quick: Json = {};
  for (const field of QUICK_FIELDS) if (field in pil_info) quick[field] = pil_info[field];
  if (m.format === 'png') {
    for (const c of m.text_chunks) {
      if ((QUICK_FIELDS as readonly string[]).includes(c.keyword) && !(c.keyword in quick)) {
        quick[c.keyword] = c.text;
      }
    }
    return {
      found_text_chunks: m.text_chunks,
      pil_info,
      quick_fields: quick,
      quick_view_defaults: quickViewDefaults(pil_info, quick, m),
      ...(m.exif === null ? {} : { exif: m.exif }),
    };
  }
  const exif = m.exif ?? {};
  const fromExif: [string, string][] = [
    ['Software', 'Software'],
    ['ImageDescription', 'Description'],
    ['UserComment', 'parameters'],
    ['XPComment', 'Description'],
    ['Comment', 'Description'],
  ];
  for (const [tag, field] of fromExif) {
    if (tag in exif && !(field in quick)) quick[field] = exif[tag];
  }
  return { exif, xmp: m.xmp, pil_info, quick_fields: quick };
}

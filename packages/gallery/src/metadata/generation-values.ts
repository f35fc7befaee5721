/** Shared helpers that turn loosely typed generator output into `Generation` fields. */
import type { Generation, GenerationSource } from './types.ts';

export type GenerationDraft = { -readonly [K in keyof Generation]: Generation[K] };

export function emptyGeneration(source: GenerationSource, field: string): GenerationDraft {
  return {
    source,
    field,
    prompt: null,
    negative_prompt: null,
    seed: null,
    steps: null,
    sampler: null,
    scheduler: null,
    cfg: null,
    model: null,
    loras: [],
    width: null,
    height: null,
    extra: {},
  };
}

/** A finite number from a number or numeric text ('7.5' => 7.5, '' => null, 'x' => null). */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : null;
}

/** A non-negative integer (steps, sizes) or null. */
export function toCount(value: unknown): number | null {
  const n = toNumber(value);
  return n !== null && Number.isInteger(n) && n >= 0 ? n : null;
}

/** '123' => 123 · '18446744073709551615' => '18446744073709551615' (exact) · 'x' => null */
export function toSeed(value: unknown): number | string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value !== 'string' || !/^-?\d{1,40}$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : value.trim();
}

/** Trimmed non-empty text, or null. */
export function toText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const t = value.trim();
  return t === '' ? null : t;
}

/** '/models/sd/x.safetensors' => 'x.safetensors' (a model is named by its file, not its folder). */
export function modelName(value: unknown): string | null {
  const text = toText(value);
  if (text === null) return null;
  const cut = Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\'));
  return cut >= 0 && cut < text.length - 1 ? text.slice(cut + 1) : text;
}

/** LoRA names written into a prompt: 'a <lora:film:0.8> b' => ['film']. */
export function lorasInPrompt(prompt: string | null): string[] {
  if (prompt === null) return [];
  const names = [...prompt.matchAll(/<(?:lora|lyco):([^:>]+)(?::[^>]*)?>/gi)].map((m) =>
    m[1]!.trim(),
  );
  return [...new Set(names.filter((n) => n !== ''))];
}

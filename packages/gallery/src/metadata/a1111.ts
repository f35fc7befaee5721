/**
 * AUTOMATIC1111 / Forge / SD.Next "parameters" text (PNG `parameters` chunk, or EXIF
 * UserComment in JPEG and WebP):
 *
 *   <prompt, any number of lines>
 *   Negative prompt: <negative prompt, any number of lines>
 *   Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x768, Model: x, Lora hashes: "a: 1, b: 2"
 *
 * Each part may be missing. The settings line is the last line when it holds at least three
 * `Key: value` pairs (or starts with `Steps:`); values may be double-quoted (JSON-style
 * escapes), so commas inside quotes do not split.
 */
import {
  emptyGeneration,
  type GenerationDraft,
  lorasInPrompt,
  modelName,
  toCount,
  toNumber,
  toSeed,
} from './generation-values.ts';
import type { Generation } from './types.ts';

const NEGATIVE = 'Negative prompt:';
const KEY = /^[A-Za-z][\w \-/.()+]{0,47}$/;

function unquote(quoted: string): string {
  try {
    const parsed: unknown = JSON.parse(quoted);
    if (typeof parsed === 'string') return parsed;
  } catch {
    // Not a JSON string: keep the text between the quotes as written.
  }
  return quoted.slice(1, quoted.endsWith('"') && quoted.length > 1 ? -1 : undefined);
}

/** 'Steps: 20, Lora hashes: "a: 1, b: 2"' => [['Steps', '20'], ['Lora hashes', 'a: 1, b: 2']] */
export function settingsPairs(line: string): [string, string][] {
  const out: [string, string][] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    while (i < n && (line[i] === ',' || line[i] === ' ' || line[i] === '\t')) i++;
    const colon = line.indexOf(':', i);
    if (i >= n || colon < 0) break;
    const comma = line.indexOf(',', i);
    if (comma >= 0 && comma < colon) {
      i = comma + 1;
      continue;
    }
    const key = line.slice(i, colon).trim();
    let j = colon + 1;
    while (j < n && line[j] === ' ') j++;
    let value: string;
    if (line[j] === '"') {
      let k = j + 1;
      while (k < n && line[k] !== '"') k += line[k] === '\\' ? 2 : 1;
      value = unquote(line.slice(j, Math.min(k + 1, n)));
      const next = line.indexOf(',', k + 1);
      i = next < 0 ? n : next + 1;
    } else {
      const next = line.indexOf(',', j);
      value = line.slice(j, next < 0 ? n : next).trim();
      i = next < 0 ? n : next + 1;
    }
    if (key !== '') out.push([key, value]);
  }
  return out;
}

function isSettingsLine(line: string): boolean {
  if (/^\s*Steps:\s*\d/.test(line)) return true;
  return settingsPairs(line).filter(([k]) => KEY.test(k)).length >= 3;
}

/** Set the field `key` names; false when it is not one of the normalised fields. */
function applySetting(g: GenerationDraft, key: string, value: string): boolean {
  switch (key) {
    case 'Steps':
      g.steps = toCount(value);
      return true;
    case 'Sampler':
      g.sampler = value || null;
      return true;
    case 'Schedule type':
      g.scheduler = value || null;
      return true;
    case 'CFG scale':
      g.cfg = toNumber(value);
      return true;
    case 'Seed':
      g.seed = toSeed(value);
      return true;
    case 'Model':
      g.model = modelName(value);
      return true;
    case 'Size': {
      const m = /^(\d+)\s*x\s*(\d+)$/.exec(value);
      g.width = m ? Number(m[1]) : null;
      g.height = m ? Number(m[2]) : null;
      return true;
    }
    default:
      return false;
  }
}

/**
 * Parse A1111 parameters text. `strict` (text from a field any tool may fill, such as an EXIF
 * comment) requires a settings line or a negative prompt; null when the text does not qualify.
 */
export function parseA1111(text: string, field: string, strict: boolean): Generation | null {
  const lines = text.replace(/\r\n?/g, '\n').trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  const settings = lines.length > 0 && isSettingsLine(last) ? lines.pop()! : null;
  const negativeAt = lines.findIndex((l) => l.startsWith(NEGATIVE));
  if (strict && settings === null && negativeAt < 0) return null;
  const g = emptyGeneration('a1111', field);
  const promptLines = negativeAt < 0 ? lines : lines.slice(0, negativeAt);
  g.prompt = promptLines.join('\n').trim() || null;
  if (negativeAt >= 0) {
    const negative = [lines[negativeAt]!.slice(NEGATIVE.length), ...lines.slice(negativeAt + 1)];
    g.negative_prompt = negative.join('\n').trim() || null;
  }
  const pairs = settings === null ? [] : settingsPairs(settings);
  g.extra = Object.fromEntries(pairs.filter(([key, value]) => !applySetting(g, key, value)));
  g.loras = lorasInPrompt(g.prompt);
  return g;
}

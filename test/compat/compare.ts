/**
 * Comparing one of Lenslet's answers with the original's recorded answer, field by field, by a
 * declarative rule tree: only the fields a rule names are compared (Lenslet may add its own), and
 * each is compared by value, by JSON type, or by a named check of its meaning. Pure.
 */

/** How one field of a recorded answer is compared with Lenslet's. */
export type Rule =
  | { readonly kind: 'value' }
  | { readonly kind: 'type' }
  | { readonly kind: 'check'; readonly name: string; readonly test: Check }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Rule>> }
  | { readonly kind: 'each'; readonly of: Rule }
  | { readonly kind: 'entries'; readonly of: Rule }
  | { readonly kind: 'table-only'; readonly rule: Rule }
  | { readonly kind: 'both'; readonly rules: readonly Rule[] };

/** A check of meaning: true when Lenslet's value means what the recorded one means. */
export type Check = (actual: unknown, recorded: unknown, context: CompareContext) => boolean;

export type CompareContext = {
  /** A table-mode recording replayed on a folder server: table-only fields are not compared. */
  readonly portable: boolean;
  /** The true length of arrays the recording cut to 3 entries, by JSON path (`body.items`). */
  readonly trimmed: Readonly<Record<string, number>>;
};

/** One difference: where, what kind, and both values (for the failure message). */
export type Mismatch = {
  readonly at: string;
  readonly problem: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
};

/** The stable key of a mismatch, as KNOWN_GAPS lists it: `body.items[].path: value`. */
export const mismatchKey = (m: Mismatch): string => `${m.at}: ${m.problem}`;

export const V: Rule = { kind: 'value' };
export const T: Rule = { kind: 'type' };
export const obj = (fields: Readonly<Record<string, Rule>>): Rule => ({ kind: 'object', fields });
export const each = (of: Rule): Rule => ({ kind: 'each', of });
export const entries = (of: Rule): Rule => ({ kind: 'entries', of });
export const tableOnly = (rule: Rule): Rule => ({ kind: 'table-only', rule });
export const check = (name: string, test: Check): Rule => ({ kind: 'check', name, test });
export const both = (...rules: Rule[]): Rule => ({ kind: 'both', rules });

const jsonType = (v: unknown): string =>
  v === null || v === undefined ? 'null' : Array.isArray(v) ? 'array' : typeof v;

/** Deep equality; numbers equal within 1e-9 (relative), object key order ignored. */
export function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (jsonType(a) !== jsonType(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => same(v, b[i]));
  }
  if (a !== null && typeof a === 'object') {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    return [...keys].every((k) => same(ra[k], rb[k]));
  }
  return a === b;
}

const short = (v: unknown): unknown => {
  const text = JSON.stringify(v);
  return text !== undefined && text.length > 160 ? `${text.slice(0, 157)}...` : v;
};

/** Every mismatch between `actual` and `recorded` under `rule`, at JSON path `at`. */
export function compare(
  rule: Rule,
  actual: unknown,
  recorded: unknown,
  at: string,
  context: CompareContext,
): Mismatch[] {
  switch (rule.kind) {
    case 'value':
      return same(actual, recorded)
        ? []
        : [{ at, problem: 'value', expected: short(recorded), actual: short(actual) }];
    case 'type':
      return jsonType(actual) === jsonType(recorded)
        ? []
        : [{ at, problem: 'type', expected: jsonType(recorded), actual: jsonType(actual) }];
    case 'check':
      return rule.test(actual, recorded, context)
        ? []
        : [{ at, problem: rule.name, expected: short(recorded), actual: short(actual) }];
    case 'table-only':
      return context.portable ? [] : compare(rule.rule, actual, recorded, at, context);
    case 'both':
      return rule.rules.flatMap((r) => compare(r, actual, recorded, at, context));
    case 'object':
      return compareObject(rule.fields, actual, recorded, at, context);
    case 'each':
      return compareEach(rule.of, actual, recorded, at, context);
    case 'entries':
      return compareEntries(rule.of, actual, recorded, at, context);
  }
}

/**
 * Where a rule expects an object or an array: if the recording has none there, the rule does not
 * apply (the values are compared); if Lenslet has none, that is the difference. Null otherwise.
 */
function kindMismatch(
  kind: 'object' | 'array',
  actual: unknown,
  recorded: unknown,
  at: string,
  context: CompareContext,
): Mismatch[] | null {
  if (jsonType(recorded) !== kind) return compare(V, actual, recorded, at, context);
  if (jsonType(actual) !== kind) {
    return [{ at, problem: actual === undefined ? 'missing' : 'type', actual: jsonType(actual) }];
  }
  return null;
}

function compareObject(
  fields: Readonly<Record<string, Rule>>,
  actual: unknown,
  recorded: unknown,
  at: string,
  context: CompareContext,
): Mismatch[] {
  const wrong = kindMismatch('object', actual, recorded, at, context);
  if (wrong) return wrong;
  const a = actual as Record<string, unknown>;
  const r = recorded as Record<string, unknown>;
  const out: Mismatch[] = [];
  for (const [key, sub] of Object.entries(fields)) {
    const path = `${at}.${key}`;
    if (sub.kind === 'table-only' && context.portable) continue;
    // Absent in the original's answer (a JPEG's metadata has no text chunks): nothing to compare.
    if (!(key in r)) continue;
    if (!(key in a) && r[key] !== null) {
      out.push({ at: path, problem: 'missing', expected: short(r[key]) });
      continue;
    }
    out.push(...compare(sub, a[key], r[key], path, context));
  }
  return out;
}

function compareEach(
  of: Rule,
  actual: unknown,
  recorded: unknown,
  at: string,
  context: CompareContext,
): Mismatch[] {
  const wrong = kindMismatch('array', actual, recorded, at, context);
  if (wrong || !Array.isArray(actual) || !Array.isArray(recorded)) return wrong ?? [];
  const out: Mismatch[] = [];
  const length = context.trimmed[at] ?? recorded.length;
  if (actual.length !== length) {
    out.push({ at, problem: 'length', expected: length, actual: actual.length });
  }
  const n = Math.min(actual.length, recorded.length);
  for (let i = 0; i < n; i++) out.push(...compare(of, actual[i], recorded[i], `${at}[]`, context));
  return dedupe(out);
}

function compareEntries(
  of: Rule,
  actual: unknown,
  recorded: unknown,
  at: string,
  context: CompareContext,
): Mismatch[] {
  const wrong = kindMismatch('object', actual, recorded, at, context);
  if (wrong) return wrong;
  const a = actual as Record<string, unknown>;
  const r = recorded as Record<string, unknown>;
  const out: Mismatch[] = [];
  const missing = Object.keys(r).filter((k) => !(k in a));
  const extra = Object.keys(a).filter((k) => !(k in r));
  if (missing.length > 0 || extra.length > 0) {
    out.push({ at, problem: 'keys', expected: Object.keys(r), actual: Object.keys(a) });
  }
  for (const key of Object.keys(r)) {
    if (key in a) out.push(...compare(of, a[key], r[key], `${at}{}`, context));
  }
  return dedupe(out);
}

/** One mismatch per key (array elements and map entries collapse to `[]` / `{}`). */
function dedupe(list: Mismatch[]): Mismatch[] {
  const seen = new Map<string, Mismatch>();
  for (const m of list) if (!seen.has(mismatchKey(m))) seen.set(mismatchKey(m), m);
  return [...seen.values()];
}

/**
 * Sharing equal values that repeat across a whole gallery — user names, tags, tag lists, the
 * per-field versions — so a million labeled images do not hold a million copies of "ana" or of
 * ["cat"]. Bounded: past `max` distinct values, new ones are returned as they are.
 */
import type { FieldVersions } from '@lenslet/core';

export class Interner<T> {
  readonly #values = new Map<string, T>();
  readonly #max: number;
  constructor(max = 65_536) {
    this.#max = max;
  }
  /** The shared value for `key` (made by `make` the first time). */
  get(key: string, make: () => T): T {
    const known = this.#values.get(key);
    if (known !== undefined) return known;
    const value = make();
    if (this.#values.size < this.#max) this.#values.set(key, value);
    return value;
  }
}

const strings = new Interner<string>();
const tagLists = new Interner<readonly string[]>();
const versions = new Interner<FieldVersions>(16_384);

/** One shared copy of a short, often repeated string (a user name, a tag). */
export function internString(value: string): string {
  return value.length > 64 ? value : strings.get(value, () => value);
}

/** One shared, frozen copy of a tag list. */
export function internTags(tags: readonly string[]): readonly string[] {
  if (tags.length > 16) return tags;
  return tagLists.get(tags.join('\u0000'), () => Object.freeze(tags.map(internString)));
}

/** The shared, frozen one-tag list [tag] (`tag` already shared). */
export function internTag(tag: string): readonly string[] {
  return tagLists.get(tag, () => Object.freeze([tag]));
}

/** Triples of small versions, keyed by one number (no key string built per call). */
const smallVersions = new Map<number, FieldVersions>();
const SMALL = 0x10000;

/** One shared, frozen copy of the field-versions triple (star, notes, tags). */
export function fieldVersions(star: number, notes: number, tags: number): FieldVersions {
  if (star >= SMALL || notes >= SMALL || tags >= SMALL) {
    return versions.get(`${star},${notes},${tags}`, () => Object.freeze({ star, notes, tags }));
  }
  const key = (star * SMALL + notes) * SMALL + tags;
  const known = smallVersions.get(key);
  if (known !== undefined) return known;
  const value = Object.freeze({ star, notes, tags });
  if (smallVersions.size < 16_384) smallVersions.set(key, value);
  return value;
}

/** One shared, frozen copy of a field-versions triple. */
export function internFieldVersions(fv: FieldVersions): FieldVersions {
  return fieldVersions(fv.star, fv.notes, fv.tags);
}

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

/** One shared, frozen copy of a field-versions triple. */
export function internFieldVersions(fv: FieldVersions): FieldVersions {
  return versions.get(`${fv.star},${fv.notes},${fv.tags}`, () =>
    Object.freeze({ star: fv.star, notes: fv.notes, tags: fv.tags }),
  );
}

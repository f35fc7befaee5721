/**
 * Item path → row, as an open-addressing hash table over Int32Array slots (no Map of a million
 * string keys: it is smaller and several times faster to build at load).
 */
export class PathIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(
    private readonly paths: readonly string[],
    capacity: number,
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** FNV-1a over the UTF-16 code units of `s`. */
  static hash(s: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }

  /** The row holding `path`, or -1. */
  get(path: string): number {
    let i = PathIndex.hash(path) & this.mask;
    for (;;) {
      const row = this.slots[i]!;
      if (row === -1 || this.paths[row] === path) return row;
      i = (i + 1) & this.mask;
    }
  }

  /**
   * Record that `paths[row]` is at `row`, unless an earlier row holds it: returns that row, or
   * -1. `hash` may be passed when already known (it must be `PathIndex.hash(paths[row])`).
   */
  add(row: number, hash = PathIndex.hash(this.paths[row]!)): number {
    const path = this.paths[row]!;
    let i = hash & this.mask;
    for (;;) {
      const known = this.slots[i]!;
      if (known === -1) {
        this.slots[i] = row;
        return -1;
      }
      if (this.paths[known] === path) return known;
      i = (i + 1) & this.mask;
    }
  }
}

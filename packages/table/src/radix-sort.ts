/**
 * Sorting rows by a numeric key without a comparator: a stable LSD radix sort over the 64 bits
 * of each key (16 bits per pass, passes where every row has the same digit are skipped).
 * Rows come in already ordered by the tie-breaker (path order), and stability keeps that order
 * among equal keys. Rows whose key is NaN (missing) go last, still in path order, in both
 * directions. -0 sorts as 0.
 */

const DIGITS = 1 << 16;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Which half of a float64 holds the sign on this machine (little-endian: index 1).
const HI = new Uint8Array(new Float64Array([-0]).buffer)[7] === 0x80 ? 1 : 0;
const LO = 1 - HI;

/**
 * `rows` (ordered by the tie-breaker) sorted by `key[row]`, ascending or descending; NaN last.
 * Returns a new array; `rows` is not changed.
 */
export function sortRowsByKey(
  rows: Uint32Array,
  key: Float64Array,
  descending: boolean,
): Uint32Array {
  const n = rows.length;
  let present = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(key[rows[i]!]!)) present++;
  let order = new Uint32Array(present);
  let hi = new Uint32Array(present);
  let lo = new Uint32Array(present);
  const out = new Uint32Array(n);
  let p = 0;
  let m = present;
  const flip = descending ? 0xffffffff : 0;
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const v = key[row]!;
    if (Number.isNaN(v)) {
      out[m++] = row;
      continue;
    }
    f64[0] = v === 0 ? 0 : v;
    let h = u32[HI]!;
    let l = u32[LO]!;
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else h |= 0x80000000;
    order[p] = row;
    hi[p] = (h ^ flip) >>> 0;
    lo[p] = (l ^ flip) >>> 0;
    p++;
  }
  if (present > 1) {
    let nextOrder = new Uint32Array(present);
    let nextHi = new Uint32Array(present);
    let nextLo = new Uint32Array(present);
    const counts = new Uint32Array(DIGITS);
    for (let pass = 0; pass < 4; pass++) {
      const word = pass < 2 ? lo : hi;
      const shift = (pass & 1) * 16;
      counts.fill(0);
      for (let i = 0; i < present; i++) counts[(word[i]! >>> shift) & 0xffff]!++;
      if (counts[(word[0]! >>> shift) & 0xffff] === present) continue;
      let sum = 0;
      for (let d = 0; d < DIGITS; d++) {
        const c = counts[d]!;
        counts[d] = sum;
        sum += c;
      }
      for (let i = 0; i < present; i++) {
        const at = counts[(word[i]! >>> shift) & 0xffff]!++;
        nextOrder[at] = order[i]!;
        nextHi[at] = hi[i]!;
        nextLo[at] = lo[i]!;
      }
      [order, nextOrder] = [nextOrder, order];
      [hi, nextHi] = [nextHi, hi];
      [lo, nextLo] = [nextLo, lo];
    }
  }
  out.set(order, 0);
  return out;
}

/**
 * Rows sorted by a string comparison of `text(row)` (plain code-unit order), missing last. Ties
 * (and the missing rows) keep their order in `rows`, or follow `tie` when given — which spares
 * the caller ordering every row by the tie-breaker first.
 */
export function sortRowsByText(
  rows: Uint32Array,
  text: (row: number) => string | null,
  descending: boolean,
  tie?: (a: number, b: number) => number,
): Uint32Array {
  const present: number[] = [];
  const missing: number[] = [];
  const texts: (string | null)[] = [];
  let maxRow = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const value = text(row);
    texts[row] = value;
    (value === null ? missing : present).push(row);
    if (row > maxRow) maxRow = row;
  }
  const position = new Uint32Array(maxRow + 1);
  for (let i = 0; i < rows.length; i++) position[rows[i]!] = i;
  const after = tie ?? ((a: number, b: number) => position[a]! - position[b]!);
  const sign = descending ? -1 : 1;
  present.sort((a, b) => {
    const x = texts[a]!;
    const y = texts[b]!;
    if (x !== y) return x < y ? -sign : sign;
    return after(a, b);
  });
  if (tie) missing.sort(tie);
  const out = new Uint32Array(rows.length);
  out.set(present);
  out.set(missing, present.length);
  return out;
}

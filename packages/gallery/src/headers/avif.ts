/**
 * AVIF (ISOBMFF/HEIF): top-level boxes `<u32 size><type>`; 'ftyp' names the brand, 'meta' holds
 * 'pitm' (primary item id) and 'iprp' → 'ipco' (properties, 1-based) + 'ipma' (which properties
 * belong to which item). The primary item's 'ispe' gives width and height, and its 'irot' (a
 * rotation by 90° steps) swaps them for display.
 *
 * 'meta' usually comes right after 'ftyp', but a writer may put it after 'mdat', so the parser
 * steps over top-level boxes and asks for the bytes it needs next.
 */
import { fourcc, type Need, type Size, u8, u16be, u32be } from './bytes.ts';

export const AVIF_STEP_BYTES = 4096;
/** A 'meta' box larger than this is not read (real ones are a few hundred bytes). */
const MAX_META_BYTES = 1 << 20;

export type AvifStep =
  | { readonly kind: 'size'; readonly size: Size }
  | { readonly kind: 'need'; readonly need: Need }
  | { readonly kind: 'invalid' };

type Box = {
  readonly type: string;
  readonly start: number;
  readonly body: number;
  readonly end: number;
};

/** The box at i, or null when its header does not fit in b. `end` may lie beyond b. */
function boxAt(b: Uint8Array, i: number, limit: number): Box | null {
  const size32 = u32be(b, i);
  const type = fourcc(b, i + 4);
  if (size32 < 0 || type === '') return null;
  if (size32 === 1) {
    const hi = u32be(b, i + 8);
    const lo = u32be(b, i + 12);
    if (hi < 0 || lo < 0) return null;
    return { type, start: i, body: i + 16, end: i + hi * 2 ** 32 + lo };
  }
  const end = size32 === 0 ? limit : i + size32;
  return { type, start: i, body: i + 8, end };
}

function* children(b: Uint8Array, from: number, to: number): Generator<Box> {
  let i = from;
  while (i + 8 <= to) {
    const box = boxAt(b, i, to);
    if (box === null || box.end <= i || box.end > to) return;
    yield box;
    i = box.end;
  }
}

export function isAvif(b: Uint8Array): boolean {
  if (fourcc(b, 4) !== 'ftyp') return false;
  const size = Math.min(u32be(b, 0), b.length);
  const brands = [fourcc(b, 8)];
  for (let i = 16; i + 4 <= size; i += 4) brands.push(fourcc(b, i));
  return brands.includes('avif') || brands.includes('avis');
}

/** Primary item's displayed size from a complete 'meta' box body range. */
export function metaSize(b: Uint8Array, meta: Box): Size | null {
  let primary = -1;
  const props: Box[] = [];
  const assoc = new Map<number, number[]>();
  for (const box of children(b, meta.body + 4, meta.end)) {
    if (box.type === 'pitm') {
      primary = u8(b, box.body) === 0 ? u16be(b, box.body + 4) : u32be(b, box.body + 4);
    } else if (box.type === 'iprp') {
      for (const inner of children(b, box.body, box.end)) {
        if (inner.type === 'ipco') props.push(...children(b, inner.body, inner.end));
        else if (inner.type === 'ipma') readIpma(b, inner, assoc);
      }
    }
  }
  const indices = assoc.get(primary) ?? [...assoc.values()][0] ?? [];
  const own = indices.map((i) => props[i - 1]).filter((p): p is Box => p !== undefined);
  const ispe = own.find((p) => p.type === 'ispe') ?? props.find((p) => p.type === 'ispe');
  if (ispe === undefined) return null;
  const width = u32be(b, ispe.body + 4);
  const height = u32be(b, ispe.body + 8);
  if (width <= 0 || height <= 0) return null;
  const irot = own.find((p) => p.type === 'irot');
  const quarterTurns = irot ? u8(b, irot.body) & 3 : 0;
  return quarterTurns % 2 === 1 ? { width: height, height: width } : { width, height };
}

function readIpma(b: Uint8Array, box: Box, out: Map<number, number[]>): void {
  const version = u8(b, box.body);
  const wideIndex = (u8(b, box.body + 3) & 1) === 1;
  const count = u32be(b, box.body + 4);
  let i = box.body + 8;
  for (let n = 0; n < count && i < box.end; n++) {
    const item = version < 1 ? u16be(b, i) : u32be(b, i);
    i += version < 1 ? 2 : 4;
    const associations = u8(b, i);
    i += 1;
    const list: number[] = [];
    for (let k = 0; k < associations; k++) {
      list.push(wideIndex ? u16be(b, i) & 0x7fff : u8(b, i) & 0x7f);
      i += wideIndex ? 2 : 1;
    }
    out.set(item, list);
  }
}

/**
 * Step over top-level boxes in window `b` (file bytes from `base`) starting at file offset `from`
 * (0 for a new file) until 'meta' is fully in the window.
 */
export function stepAvif(b: Uint8Array, base: number, from: number): AvifStep {
  let i = from - base;
  for (;;) {
    if (i < 0) return { kind: 'invalid' };
    const box = boxAt(b, i, Number.MAX_SAFE_INTEGER);
    if (box === null) return { kind: 'need', need: { offset: base + i, length: AVIF_STEP_BYTES } };
    if (box.end <= i || box.end === Number.MAX_SAFE_INTEGER) return { kind: 'invalid' };
    if (box.type === 'meta') {
      if (box.end <= b.length) {
        const size = metaSize(b, box);
        return size ? { kind: 'size', size } : { kind: 'invalid' };
      }
      const length = box.end - box.start;
      if (i === 0 || length > MAX_META_BYTES) return { kind: 'invalid' };
      return { kind: 'need', need: { offset: base + i, length } };
    }
    i = box.end;
  }
}

/** Size of an AVIF held wholly (or far enough) in `b`, or null. */
export function avifSize(b: Uint8Array): Size | null {
  if (!isAvif(b)) return null;
  const step = stepAvif(b, 0, 0);
  return step.kind === 'size' ? step.size : null;
}

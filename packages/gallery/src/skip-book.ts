/**
 * What the index skipped and why, by absolute path, so counts stay right while files come and
 * go: an entry is forgotten when its file (or a folder above it) is seen again or disappears.
 */
import type { SkippedCounts } from './gallery.ts';
import type { SkipKind } from './scan.ts';

const KINDS: readonly SkipKind[] = [
  'invalid_name',
  'duplicate_normalized',
  'outside_root',
  'unreadable',
];

export class SkipBook {
  private readonly byKind = new Map<SkipKind, Set<string>>(KINDS.map((k) => [k, new Set()]));

  add(kind: SkipKind, abs: string): void {
    this.forget(abs);
    this.byKind.get(kind)!.add(abs);
  }

  /** Forget `abs`, and with `below` everything under it too. */
  forget(abs: string, below = false): void {
    for (const set of this.byKind.values()) {
      if (set.size === 0) continue;
      set.delete(abs);
      if (below) for (const p of set) if (p.startsWith(`${abs}/`)) set.delete(p);
    }
  }

  /** Paths of one kind (a copy). */
  paths(kind: SkipKind): string[] {
    return [...this.byKind.get(kind)!];
  }

  /** Replace every path under `dir` (inclusive) with the ones in `fresh` (a rescan's result). */
  replaceUnder(dir: string, fresh: SkipBook): void {
    this.forget(dir, true);
    for (const kind of KINDS)
      for (const p of fresh.byKind.get(kind)!) this.byKind.get(kind)!.add(p);
  }

  counts(): SkippedCounts {
    return {
      invalid_name: this.byKind.get('invalid_name')!.size,
      duplicate_normalized: this.byKind.get('duplicate_normalized')!.size,
      outside_root: this.byKind.get('outside_root')!.size,
      unreadable: this.byKind.get('unreadable')!.size,
    };
  }
}

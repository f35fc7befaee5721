/**
 * known-gaps.json: for each replayed pair (`<target> · <title>`) that differs from the original,
 * the exact set of differences. Read by the contract test; rewritten by it with
 * COMPAT_UPDATE_GAPS=1, in the layout `biome format` gives JSON (arrays on one line when they fit).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GAPS_FILE = join(import.meta.dirname, 'known-gaps.json');

export type Gaps = Readonly<Record<string, readonly string[]>>;

export const readGaps = (): Gaps => JSON.parse(readFileSync(GAPS_FILE, 'utf8')) as Gaps;

const LINE_WIDTH = 100;

/** The file's text: keys sorted, each entry on one line when it fits in 100 columns. */
export function formatGaps(gaps: Gaps): string {
  const entries = Object.keys(gaps)
    .sort()
    .filter((key) => gaps[key]!.length > 0)
    .map((key, i, all) => {
      const comma = i < all.length - 1 ? ',' : '';
      const list = gaps[key]!.map((g) => JSON.stringify(g));
      const oneLine = `  ${JSON.stringify(key)}: [${list.join(', ')}]${comma}`;
      if (oneLine.length <= LINE_WIDTH) return oneLine;
      return `  ${JSON.stringify(key)}: [\n${list.map((g) => `    ${g}`).join(',\n')}\n  ]${comma}`;
    });
  return entries.length === 0 ? '{}\n' : `{\n${entries.join('\n')}\n}\n`;
}

export const writeGaps = (gaps: Gaps): void => writeFileSync(GAPS_FILE, formatGaps(gaps));

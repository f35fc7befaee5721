/**
 * Medians of printed benchmark outputs, whatever their format (pure).
 *
 * Lines of several runs are matched by *shape* — the line with every number replaced by `#` —
 * the k-th line of a shape in the first run with the k-th line of that shape in each other run.
 * Each number of the first run's line becomes the median of that number over the matched lines,
 * written in the same style (decimals, thousands separators). Lines whose shape appears in no
 * other run (temp paths, seeds) are kept as the first run printed them.
 *
 *   medianText(['took 1.50 s', 'took 1.90 s', 'took 1.70 s']) => 'took 1.70 s'
 */
import { median } from '@lenslet/test-kit';

/** A decimal number as printed: `12`, `1.5`, `-3`, `12,345.6`. */
const NUMBER = /-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?/g;

export function shapeOf(line: string): string {
  return line.replace(NUMBER, '#');
}

export function numbersOf(line: string): string[] {
  return line.match(NUMBER) ?? [];
}

export function parseNumber(text: string): number {
  return Number(text.replace(/,/g, ''));
}

/** Write `value` as `like` was written: same decimals, thousands separators if it had them. */
export function formatLike(value: number, like: string): string {
  const dot = like.indexOf('.');
  const decimals = dot < 0 ? 0 : like.length - dot - 1;
  if (like.includes(',')) {
    return value.toLocaleString('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
  }
  return value.toFixed(decimals);
}

export function medianText(outputs: readonly string[]): string {
  const [first, ...others] = outputs.map((out) => out.split('\n'));
  if (!first) return '';
  const byShape = others.map((lines) => {
    const shapes = new Map<string, string[]>();
    for (const line of lines) {
      const shape = shapeOf(line);
      const list = shapes.get(shape);
      if (list) list.push(line);
      else shapes.set(shape, [line]);
    }
    return shapes;
  });
  const seen = new Map<string, number>();
  return first
    .map((line) => {
      const numbers = numbersOf(line);
      if (numbers.length === 0) return line;
      const shape = shapeOf(line);
      const k = seen.get(shape) ?? 0;
      seen.set(shape, k + 1);
      const matched = byShape
        .map((shapes) => shapes.get(shape)?.[k])
        .filter((l): l is string => l !== undefined)
        .map(numbersOf);
      if (matched.length === 0) return line;
      let i = 0;
      return line.replace(NUMBER, (token) => {
        const column = [token, ...matched.map((m) => m[i]!)].map(parseNumber);
        i += 1;
        return formatLike(median(column), token);
      });
    })
    .join('\n');
}

/** The values of the first number matched by `pattern`'s group `group` in each output. */
export function figures(outputs: readonly string[], pattern: RegExp, group = 1): number[] {
  return outputs
    .map((out) => pattern.exec(out)?.[group])
    .filter((v): v is string => v !== undefined)
    .map(parseNumber);
}

/** Markdown tables (runs of `|` lines) and everything else, apart. */
export function splitTables(text: string): { tables: string[]; rest: string } {
  const tables: string[] = [];
  const rest: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; ) {
    if (lines[i]!.trimStart().startsWith('|') && lines[i + 1]?.trimStart().startsWith('|')) {
      const block: string[] = [];
      while (i < lines.length && lines[i]!.trimStart().startsWith('|'))
        block.push(lines[i++]!.trim());
      tables.push(block.join('\n'), '');
    } else rest.push(lines[i++]!);
  }
  return { tables, rest: rest.join('\n') };
}

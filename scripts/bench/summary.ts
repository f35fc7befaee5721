/**
 * The summary of the benchmark report: each headline figure (headline-figures.ts) as the median
 * of the runs, with its range, beside its target or the limit measured in the same run. A figure
 * a script no longer prints shows as "not found" instead of failing the report.
 */
import { median } from '@lenslet/test-kit';
import type { BenchRun } from './all-sections.ts';
import { FIGURES } from './headline-figures.ts';
import { figures } from './median-text.ts';

const fmt = (value: number, unit: string) => {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`.replace(
    ' /s',
    '/s',
  );
};

/** The summary table: one row per headline figure found in the runs. */
export function collectSummary(
  benches: readonly { name: string; runs: readonly BenchRun[] }[],
  quick: boolean,
): string {
  const rows = [
    '| benchmark | figure | median (range) | target / limit measured in the same run | verdict |',
    '|---|---|---:|---|---|',
  ];
  for (const figure of FIGURES) {
    const bench = benches.find((b) => b.name === figure.bench);
    if (!bench) continue;
    const outs = bench.runs.filter((r) => r.ok).map((r) => r.out);
    const values = figures(outs, figure.pattern, figure.group);
    if (values.length === 0) {
      rows.push(`| ${figure.bench} | ${figure.what} | not found in the output | | |`);
      continue;
    }
    const m = median(values);
    const range =
      values.length > 1
        ? ` (${fmt(Math.min(...values), figure.unit)} – ${fmt(Math.max(...values), figure.unit)})`
        : '';
    const notes: string[] = [];
    const verdicts: string[] = [];
    if (figure.target && quick) {
      notes.push(
        `target ${figure.target.op} ${fmt(figure.target.value, figure.unit)} (for the full run)`,
      );
    } else if (figure.target) {
      const met = figure.target.op === '≤' ? m <= figure.target.value : m >= figure.target.value;
      notes.push(`target ${figure.target.op} ${fmt(figure.target.value, figure.unit)}`);
      verdicts.push(met ? 'met' : '**not met**');
    }
    if (figure.limit) {
      // The ratio of each run to its own limit, then the median of those ratios.
      const ratios = outs
        .map((out) => {
          const value = figures([out], figure.pattern, figure.group)[0];
          const limit = figures([out], figure.limit!.pattern, figure.limit!.group)[0];
          return value !== undefined && limit !== undefined && limit > 0 ? value / limit : null;
        })
        .filter((r): r is number => r !== null);
      const limits = figures(outs, figure.limit.pattern, figure.limit.group);
      if (ratios.length > 0) {
        notes.push(`${figure.limit.what}: ${fmt(median(limits), figure.unit)}`);
        verdicts.push(`${(median(ratios) * 100).toFixed(0)} % of the limit`);
      }
    }
    rows.push(
      `| ${figure.bench} | ${figure.what} | ${fmt(m, figure.unit)}${range} | ${notes.join('; ')} | ${verdicts.join('; ')} |`,
    );
  }
  return rows.join('\n');
}

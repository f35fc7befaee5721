/**
 * The original Lenslet's structured derived metric (`derived_metric` in its query body) as a
 * formula AST, so one evaluator serves both dialects:
 *   score = intercept + Σ weight · term + Σ weight · (key == value)
 * where a numeric term is the metric, or z(metric) with `zNormalize`, wrapped in
 * coalesce(…, 0) when `missing: "zero"` (a missing value drops the term) and left bare when
 * `missing: "invalid"` (a missing value leaves the row without a score).
 */
import type { Expr } from './formula.ts';

export type OriginalDerivedMetric = {
  readonly version?: number;
  readonly id: string;
  readonly name?: string;
  readonly intercept?: number;
  readonly numericTerms?: readonly {
    readonly key: string;
    readonly weight: number;
    readonly missing?: 'zero' | 'invalid';
    readonly zNormalize?: boolean;
  }[];
  readonly categoricalTerms?: readonly {
    readonly key: string;
    readonly value: string;
    readonly weight: number;
  }[];
};

/** The field key the original uses for a derived metric's values. */
export function originalDerivedKey(id: string): string {
  return `@derived/${id}`;
}

export function originalDerivedToExpr(metric: OriginalDerivedMetric): Expr {
  const pos = 0;
  let sum: Expr = { kind: 'number', value: metric.intercept ?? 0, pos };
  const add = (term: Expr, weight: number) => {
    const weighted: Expr = {
      kind: 'binary',
      op: '*',
      left: { kind: 'number', value: weight, pos },
      right: term,
      pos,
    };
    sum = { kind: 'binary', op: '+', left: sum, right: weighted, pos };
  };
  for (const term of metric.numericTerms ?? []) {
    let value: Expr = { kind: 'field', name: term.key, pos };
    if (term.zNormalize) value = { kind: 'call', fn: 'z', args: [value], pos };
    if ((term.missing ?? 'zero') === 'zero') {
      value = {
        kind: 'call',
        fn: 'coalesce',
        args: [value, { kind: 'number', value: 0, pos }],
        pos,
      };
    }
    add(value, term.weight);
  }
  for (const term of metric.categoricalTerms ?? []) {
    add({ kind: 'equals', name: term.key, value: term.value, negate: false, pos }, term.weight);
  }
  return sum;
}

import { LensletError } from '@lenslet/core';
import { expect, test } from 'vitest';
import { type Expr, formulaInputs, parseFormula } from './formula.ts';
import { evaluateFormula, type FormulaInputs, type NormStats } from './formula-eval.ts';
import { originalDerivedToExpr } from './original-derived.ts';

/** Expression back to fully parenthesised text, to check precedence. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'field':
      return e.name;
    case 'equals':
      return `(${e.name}${e.negate ? '!=' : '=='}'${e.value}')`;
    case 'negate':
      return `(-${show(e.arg)})`;
    case 'binary':
      return `(${show(e.left)}${e.op}${show(e.right)})`;
    case 'call':
      return `${e.fn}(${e.args.map(show).join(',')})`;
  }
}

function error(text: string): LensletError {
  try {
    parseFormula(text);
  } catch (e) {
    return e as LensletError;
  }
  throw new Error(`"${text}" parsed`);
}

test('precedence: * and / bind tighter than + and -, left to right, unary minus', () => {
  expect(show(parseFormula('0.7*aesthetic + 0.3*clip - 2*nsfw'))).toBe(
    '(((0.7*aesthetic)+(0.3*clip))-(2*nsfw))',
  );
  expect(show(parseFormula('a - b - c / d / e'))).toBe('((a-b)-((c/d)/e))');
  expect(show(parseFormula('-a * -(b + 1e-3)'))).toBe('((-a)*(-(b+0.001)))');
  expect(show(parseFormula("z(aesthetic) + rank(clip.v2) * (style == 'anime') - `odd-name`"))).toBe(
    "((z(aesthetic)+(rank(clip.v2)*(style=='anime')))-odd-name)",
  );
});

test('syntax errors are invalid_query naming the 1-based position', () => {
  expect(error('0.7*aesthetic +')).toMatchObject({
    code: 'invalid_query',
    details: { position: 16 },
  });
  expect(error('0.7*aesthetic +').message).toBe(
    'expected a number, a field or "(", found the end of the formula at position 16',
  );
  expect(error('a $ b')).toMatchObject({ details: { position: 3 } });
  expect(error('(a + b')).toMatchObject({ details: { position: 7 } });
  expect(error('a b')).toMatchObject({ details: { position: 3 } });
  expect(error('zz(a)')).toMatchObject({ details: { position: 1, name: 'zz' } });
  expect(error('min(a)').message).toBe('min() takes 2 to 16 argument(s), got 1 at position 1');
  expect(error('style == anime')).toMatchObject({ details: { position: 10 } });
  expect(error('`a')).toMatchObject({ details: { position: 1 } });
  expect(error('   ')).toMatchObject({ details: { position: 1 } });
  expect(error('a'.repeat(2001)).message).toMatch(/longer than 2000/);
});

test('formulaInputs lists every field with how it is read', () => {
  expect(formulaInputs(parseFormula("a + z(b) * (c != 'x')"))).toEqual([
    { name: 'a', use: 'number', pos: 1 },
    { name: 'b', use: 'number', pos: 7 },
    { name: 'c', use: 'category', pos: 13 },
  ]);
});

const a = Float64Array.from([1, 2, 3, Number.NaN, 5]);
const b = Float64Array.from([10, 0, 30, 40, 50]);
const inputs: FormulaInputs = {
  number: (name, pos) => {
    if (name === 'a') return a;
    if (name === 'b') return b;
    throw new LensletError('invalid_query', `unknown metric "${name}" at position ${pos}`, {
      details: { position: pos, name },
    });
  },
  equals: (_name, value) => Float64Array.from([1, 0, 1, 0, value === 'x' ? 1 : 0]),
};
const run = (
  text: string,
  population: Uint8Array | null = null,
  z: Record<string, NormStats> = {},
) => [...evaluateFormula(parseFormula(text), inputs, 5, population, z)];

test('arithmetic per row; a missing input leaves the row without a score unless coalesced', () => {
  expect(run('2*a + b/10')).toEqual([3, 4, 9, Number.NaN, 15]);
  expect(run('a / (b - b)')).toEqual(Array(5).fill(Number.NaN));
  expect(run('coalesce(a, 0) + 1')).toEqual([2, 3, 4, 1, 6]);
  expect(run("a + (s == 'x')")).toEqual([2, 2, 4, Number.NaN, 6]);
  expect(run("a + (s != 'x')")).toEqual([1, 3, 3, Number.NaN, 5]);
  expect(run('max(a, b) - min(a, 3)')).toEqual([9, 0, 27, Number.NaN, 47]);
  expect(run('log(b) + sqrt(a) - abs(-a)')).toEqual([
    Math.log(10) + 1 - 1,
    Number.NaN,
    Math.log(30) + Math.sqrt(3) - 3,
    Number.NaN,
    Math.log(50) + Math.sqrt(5) - 5,
  ]);
});

test('z, rank and minmax use the population; z records its statistics', () => {
  const z: Record<string, NormStats> = {};
  const values = run('z(a)', null, z);
  const mean = (1 + 2 + 3 + 5) / 4;
  const std = Math.sqrt(
    ((1 - mean) ** 2 + (2 - mean) ** 2 + (3 - mean) ** 2 + (5 - mean) ** 2) / 4,
  );
  expect(z.a).toEqual({ mean, std, count: 4 });
  expect(values[0]).toBeCloseTo((1 - mean) / std, 12);
  expect(Number.isNaN(values[3])).toBe(true);
  const population = Uint8Array.from([1, 1, 0, 1, 0]);
  expect(run('z(a)', population)[4]).toBeCloseTo((5 - 1.5) / 0.5, 12);
  expect(run('rank(b)')).toEqual([0.25, 0, 0.5, 0.75, 1]);
  // population values 0, 10, 40: 30 falls between the 2nd and 3rd, 50 above all (clamped to 1)
  expect(run('rank(b)', population)).toEqual([0.5, 0, 0.75, 1, 1]);
  expect(run('minmax(b)')).toEqual([0.2, 0, 0.6, 0.8, 1]);
  expect(run('z(b - b)')).toEqual([0, 0, 0, 0, 0]);
});

test("the original's structured derived metric becomes the same kind of formula", () => {
  const expr = originalDerivedToExpr({
    id: 'combo',
    intercept: 0.5,
    numericTerms: [
      { key: 'a', weight: 1, missing: 'invalid', zNormalize: true },
      { key: 'b', weight: 2, missing: 'zero', zNormalize: false },
    ],
    categoricalTerms: [{ key: 's', value: 'x', weight: 0.75 }],
  });
  const structured = [...evaluateFormula(expr, inputs, 5, null)];
  expect(structured).toEqual(run("0.5 + 1*z(a) + 2*coalesce(b, 0) + 0.75*(s == 'x')"));
  expect(Number.isNaN(structured[3])).toBe(true);
  const zeroMissing = originalDerivedToExpr({
    id: 'x',
    numericTerms: [{ key: 'a', weight: 3, missing: 'zero' }],
  });
  expect([...evaluateFormula(zeroMissing, inputs, 5, null)]).toEqual([3, 6, 9, 0, 15]);
});

/**
 * The derived-score formula: AST and recursive-descent parser (no eval).
 *
 *   formula := sum END
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | atom
 *   atom    := NUMBER | '(' sum ')' | NAME '(' sum (',' sum)* ')' | NAME ('==' | '!=') STRING | NAME
 *
 * A NAME is a numeric field (metric or number column); `field == 'value'` is 1 when a categorical
 * (or multi-valued) field holds the value, else 0. Functions: z(x) z-score, rank(x) percentile
 * rank in [0, 1], minmax(x) scaled to [0, 1] (all three over the query's population), abs, log,
 * sqrt, min, max, coalesce(x, fallback, …). A missing input makes the score missing unless
 * `coalesce` supplies a fallback.
 */
import { formulaError, type Token, tokenize } from './formula-tokens.ts';

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly pos: number }
  | { readonly kind: 'field'; readonly name: string; readonly pos: number }
  | {
      readonly kind: 'equals';
      readonly name: string;
      readonly value: string;
      readonly negate: boolean;
      readonly pos: number;
    }
  | {
      readonly kind: 'call';
      readonly fn: FunctionName;
      readonly args: readonly Expr[];
      readonly pos: number;
    }
  | { readonly kind: 'negate'; readonly arg: Expr; readonly pos: number }
  | {
      readonly kind: 'binary';
      readonly op: '+' | '-' | '*' | '/';
      readonly left: Expr;
      readonly right: Expr;
      readonly pos: number;
    };

/** Functions and their argument counts [min, max]. */
export const FUNCTIONS = {
  z: [1, 1],
  rank: [1, 1],
  minmax: [1, 1],
  abs: [1, 1],
  log: [1, 1],
  sqrt: [1, 1],
  min: [2, 16],
  max: [2, 16],
  coalesce: [2, 16],
} as const satisfies Record<string, readonly [number, number]>;

export type FunctionName = keyof typeof FUNCTIONS;

function isFunction(name: string): name is FunctionName {
  return Object.hasOwn(FUNCTIONS, name);
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === value;
  }

  private expect(value: string): void {
    const t = this.next();
    if (t.kind !== 'op' || t.value !== value)
      throw formulaError(`expected "${value}", found ${describe(t)}`, t.pos);
  }

  formula(): Expr {
    const expr = this.sum();
    const t = this.peek();
    if (t.kind !== 'end') throw formulaError(`unexpected ${describe(t)}`, t.pos);
    return expr;
  }

  private sum(): Expr {
    let left = this.product();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = { kind: 'binary', op: t.value as '+' | '-', left, right: this.product(), pos: t.pos };
    }
    return left;
  }

  private product(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const t = this.next();
      left = { kind: 'binary', op: t.value as '*' | '/', left, right: this.unary(), pos: t.pos };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('-')) {
      const t = this.next();
      return { kind: 'negate', arg: this.unary(), pos: t.pos };
    }
    if (this.isOp('+')) this.next();
    return this.atom();
  }

  private atom(): Expr {
    const t = this.next();
    if (t.kind === 'number') return { kind: 'number', value: t.value, pos: t.pos };
    if (t.kind === 'op' && t.value === '(') {
      const inner = this.sum();
      this.expect(')');
      return inner;
    }
    if (t.kind !== 'name')
      throw formulaError(`expected a number, a field or "(", found ${describe(t)}`, t.pos);
    if (this.isOp('(')) return this.call(t);
    if (this.isOp('==') || this.isOp('!=')) {
      const op = this.next();
      const value = this.next();
      if (value.kind !== 'string')
        throw formulaError(`expected a quoted value after "${op.value}"`, value.pos);
      return {
        kind: 'equals',
        name: t.value,
        value: value.value,
        negate: op.value === '!=',
        pos: t.pos,
      };
    }
    return { kind: 'field', name: t.value, pos: t.pos };
  }

  private call(name: Extract<Token, { kind: 'name' }>): Expr {
    if (!isFunction(name.value))
      throw formulaError(`unknown function "${name.value}"`, name.pos, name.value);
    this.expect('(');
    const args = [this.sum()];
    while (this.isOp(',')) {
      this.next();
      args.push(this.sum());
    }
    this.expect(')');
    const [min, max] = FUNCTIONS[name.value];
    if (args.length < min || args.length > max) {
      const want = min === max ? `${min}` : `${min} to ${max}`;
      throw formulaError(
        `${name.value}() takes ${want} argument(s), got ${args.length}`,
        name.pos,
        name.value,
      );
    }
    return { kind: 'call', fn: name.value, args, pos: name.pos };
  }
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the formula';
  if (t.kind === 'string') return `'${t.value}'`;
  return `"${t.value}"`;
}

/** Parse a formula; a syntax error is `invalid_query` naming the position. */
export function parseFormula(text: string): Expr {
  if (text.trim() === '') throw formulaError('empty formula', 1);
  return new Parser(tokenize(text)).formula();
}

/** Every field a formula reads, with how it reads it (numeric value or categorical test). */
export function formulaInputs(
  expr: Expr,
): { name: string; use: 'number' | 'category'; pos: number }[] {
  const out: { name: string; use: 'number' | 'category'; pos: number }[] = [];
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'field':
        out.push({ name: e.name, use: 'number', pos: e.pos });
        return;
      case 'equals':
        out.push({ name: e.name, use: 'category', pos: e.pos });
        return;
      case 'call':
        e.args.forEach(walk);
        return;
      case 'negate':
        walk(e.arg);
        return;
      case 'binary':
        walk(e.left);
        walk(e.right);
        return;
      case 'number':
        return;
    }
  };
  walk(expr);
  return out;
}

/**
 * One column of an untyped source (CSV, TSV, JSONL) whose type is inferred while it is read:
 * numbers while every present cell is a number, booleans while every present cell is one, lists
 * of strings (JSONL arrays), else strings. A column that meets a value of another type turns
 * into a string column and replays what it held (`1.50` read as a number comes back as `1.5`).
 */
import { ListBuilder, NumberBuilder, StringBuilder } from './column-builders.ts';
import type { Column } from './columns.ts';

/** Cells that mean "no value" in text sources (the usual spellings of pandas and R). */
const NULL_TOKENS = new Set(['', 'null', 'NULL', 'Null', 'None', 'NA', 'N/A', 'n/a', '#N/A']);
const NAN_TOKENS = new Set(['NaN', 'nan', 'NAN']);
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = new Map<string, number>([
  ['inf', Infinity],
  ['+inf', Infinity],
  ['-inf', -Infinity],
  ['Infinity', Infinity],
  ['+Infinity', Infinity],
  ['-Infinity', -Infinity],
]);

type State = 'number' | 'boolean' | 'string' | 'list';

export class InferringBuilder {
  private state: State = 'number';
  private numbers: NumberBuilder | null = new NumberBuilder();
  private strings: StringBuilder | null = null;
  private lists: ListBuilder | null = null;
  private present = 0;

  constructor(readonly name: string) {}

  get length(): number {
    return (this.numbers ?? this.strings ?? this.lists)!.length;
  }

  /** A CSV/TSV cell (already unquoted). */
  pushText(cell: string): void {
    const trimmed = cell.trim();
    if (NULL_TOKENS.has(trimmed)) {
      this.pushMissing(false);
      return;
    }
    if (NAN_TOKENS.has(trimmed)) {
      this.pushMissing(true);
      return;
    }
    if (this.state === 'number' || this.present === 0) {
      const inf = INFINITY.get(trimmed);
      if (inf !== undefined) {
        this.pushNumber(inf);
        return;
      }
      if (NUMBER.test(trimmed)) {
        this.pushNumber(Number(trimmed));
        return;
      }
    }
    const lower = trimmed.toLowerCase();
    if (lower === 'true' || lower === 'false') {
      this.pushBoolean(lower === 'true');
      return;
    }
    this.pushString(cell);
  }

  /** A JSON value (JSONL): strings stay strings, arrays of strings are lists. */
  pushValue(value: unknown): void {
    if (value === null || value === undefined) {
      this.pushMissing(false);
      return;
    }
    if (typeof value === 'number') {
      this.pushNumber(value);
      return;
    }
    if (typeof value === 'boolean') {
      this.pushBoolean(value);
      return;
    }
    if (typeof value === 'string') {
      this.pushString(value);
      return;
    }
    if (Array.isArray(value) && value.every((v) => v === null || typeof v === 'string')) {
      this.pushList(value);
      return;
    }
    this.pushString(JSON.stringify(value));
  }

  private pushMissing(nan: boolean): void {
    if (this.numbers) {
      if (nan) this.numbers.push(Number.NaN);
      else this.numbers.pushNull();
    } else if (this.strings) this.strings.push(null);
    else this.lists!.push(null);
  }

  private pushNumber(value: number): void {
    if (this.state !== 'number' && this.present > 0) {
      this.pushString(String(value));
      return;
    }
    this.present++;
    this.numbers!.push(value);
  }

  private pushBoolean(value: boolean): void {
    if (this.present === 0 && this.state === 'number') this.become('boolean');
    if (this.state !== 'boolean') {
      this.pushString(String(value));
      return;
    }
    this.present++;
    this.strings!.push(String(value));
  }

  private pushList(list: readonly unknown[]): void {
    if (this.present === 0 && this.state === 'number') this.become('list');
    if (this.state !== 'list') {
      this.pushString(JSON.stringify(list));
      return;
    }
    this.present++;
    this.lists!.push(list);
  }

  private pushString(value: string): void {
    if (this.state !== 'string') this.become('string');
    this.present++;
    this.strings!.push(value);
  }

  /** Switch type, replaying the cells held so far as the new type. */
  private become(state: State): void {
    const old = this.numbers ?? this.strings ?? this.lists!;
    const n = old.length;
    const cells: unknown[] = [];
    for (let i = 0; i < n; i++) cells.push(old.at(i));
    this.numbers = null;
    this.strings = null;
    this.lists = null;
    this.state = state;
    if (state === 'list') {
      this.lists = new ListBuilder();
      for (const _ of cells) this.lists.push(null);
      return;
    }
    this.strings = new StringBuilder(state === 'boolean', Math.max(1024, n));
    for (const cell of cells) {
      if (cell === null || (typeof cell === 'number' && Number.isNaN(cell)))
        this.strings.push(null);
      else if (Array.isArray(cell)) this.strings.push(JSON.stringify(cell));
      else this.strings.push(String(cell));
    }
  }

  finish(): Column {
    if (this.numbers) return this.numbers.finish(this.name);
    if (this.lists) return this.lists.finish(this.name);
    return this.strings!.finish(this.name);
  }
}

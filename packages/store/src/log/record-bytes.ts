/**
 * A record's line written straight into a byte buffer: the bytes of `encodeRecordBody(record)`
 * (jsonl-codec.ts, the reference) without building that string first. Text JSON writes as it is
 * (printable ASCII without `"` or `\`: nearly every name, path, key and tag) is copied a
 * character at a time; anything else goes through JSON.stringify and a UTF-8 write, so the bytes
 * are always the reference's (a property test in group-buffer.test.ts holds them equal).
 */
import { assertNever, type Change, type LabelRecord } from '@lenslet/core';

/** A growable byte buffer that lines are written into. */
export abstract class ByteSink {
  protected buf: Buffer;
  protected at: number;

  constructor(capacity: number, start: number) {
    this.buf = Buffer.allocUnsafe(capacity);
    this.at = start;
  }

  /** Make room for `more` bytes after `at`. */
  protected room(more: number): void {
    if (this.at + more <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + more) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  /** Text known to be ASCII (keys and punctuation of the format, number text). */
  protected ascii(text: string): void {
    this.room(text.length);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /** `String(n)`: digits written directly for a safe non-negative integer. */
  protected number(n: unknown): void {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      this.ascii(String(n));
      return;
    }
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
    this.room(digits);
    const buf = this.buf;
    let rest = n;
    for (let i = this.at + digits - 1; i >= this.at; i--) {
      buf[i] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.at += digits;
  }

  /** `String(JSON.stringify(value))` as UTF-8 (the general case). */
  protected json(value: unknown): void {
    const text = String(JSON.stringify(value));
    this.room(text.length * 3);
    this.at += this.buf.write(text, this.at, 'utf8');
  }

  /** `JSON.stringify(text)` of a string. */
  protected string(text: string): void {
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        this.json(text);
        return;
      }
    }
    this.room(n + 2);
    const buf = this.buf;
    let at = this.at;
    buf[at++] = 0x22;
    for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
    buf[at++] = 0x22;
    this.at = at;
  }

  /** `JSON.stringify(value)` of a string, null, or anything else. */
  protected value(value: unknown): void {
    if (typeof value === 'string') this.string(value);
    else if (value === null) this.ascii('null');
    else this.json(value);
  }

  /** `JSON.stringify(list)` of a list of strings (or anything else). */
  protected list(value: unknown): void {
    const list = value as readonly unknown[];
    let strings = Array.isArray(value);
    for (let i = 0; strings && i < list.length; i++) strings = typeof list[i] === 'string';
    if (!strings) {
      this.json(list);
      return;
    }
    this.ascii('[');
    for (let i = 0; i < list.length; i++) {
      if (i > 0) this.ascii(',');
      this.string(list[i] as string);
    }
    this.ascii(']');
  }

  /** `JSON.stringify(metrics)` of a metrics map (finite numbers or null), else the general case. */
  protected metrics(metrics: Readonly<Record<string, number | null>>): void {
    if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics)) {
      this.json(metrics);
      return;
    }
    const names = Object.keys(metrics);
    for (const name of names) {
      const value = metrics[name];
      if (value !== null && !(typeof value === 'number' && Number.isFinite(value))) {
        this.json(metrics);
        return;
      }
    }
    this.ascii('{');
    for (let i = 0; i < names.length; i++) {
      if (i > 0) this.ascii(',');
      this.string(names[i]!);
      this.ascii(':');
      this.number(metrics[names[i]!]);
    }
    this.ascii('}');
  }

  /** The bytes of `encodeRecordBody(record)`. */
  protected recordBody(record: LabelRecord): void {
    this.ascii('{"v":1,"seq":');
    this.number(record.seq);
    this.ascii(',"at":');
    this.value(record.at);
    this.ascii(',"actor":');
    this.value(record.actor);
    this.ascii(',"path":');
    this.value(record.path);
    this.ascii(',"version":');
    this.number(record.version);
    if (record.base !== undefined) {
      this.ascii(',"base":');
      this.number(record.base);
    }
    this.ascii(',"mutation_id":');
    this.value(record.mutation_id);
    this.ascii(',"fp":');
    this.value(record.fp);
    this.ascii(',"changes":[');
    const { changes } = record;
    for (let i = 0; i < changes.length; i++) {
      if (i > 0) this.ascii(',');
      this.change(changes[i]!);
    }
    this.ascii(']');
  }

  /** The bytes of `encodeChange(change)`. */
  protected change(change: Change): void {
    switch (change.kind) {
      case 'star_set':
        this.ascii('{"kind":"star_set","star":');
        this.number(change.star);
        this.ascii(',"from":');
        this.number(change.from);
        break;
      case 'notes_set':
        this.ascii('{"kind":"notes_set","notes":');
        this.value(change.notes);
        this.ascii(',"from":');
        this.value(change.from);
        break;
      case 'tags_set':
        this.ascii('{"kind":"tags_set","tags":');
        this.list(change.tags);
        this.ascii(',"from":');
        this.list(change.from);
        break;
      case 'tags_added':
        this.ascii('{"kind":"tags_added","tags":');
        this.list(change.tags);
        break;
      case 'tags_removed':
        this.ascii('{"kind":"tags_removed","tags":');
        this.list(change.tags);
        break;
      case 'metrics_set':
        this.ascii('{"kind":"metrics_set","metrics":');
        this.metrics(change.metrics);
        this.ascii(',"from":');
        this.metrics(change.from);
        break;
      default:
        assertNever(change);
    }
    this.ascii('}');
  }
}

import { crc32 } from 'node:zlib';
import type { CanonicalPath, LabelRecord } from '@lenslet/core';
import { describe, expect, test } from 'vitest';
import { decodeLine, encodeRecord } from './jsonl-codec.ts';

const record: LabelRecord = {
  v: 1,
  seq: 42,
  at: '2026-03-01T10:00:00.000Z',
  actor: 'ana',
  path: '/cats/a.jpg' as CanonicalPath,
  version: 3,
  base: 2,
  mutation_id: 'key-00000042',
  fp: 'patch:0123456789abcdef',
  changes: [
    { kind: 'star_set', star: 4, from: 2 },
    { kind: 'tags_added', tags: ['cute'] },
  ],
};

describe('encodeRecord', () => {
  test('writes the pinned key order and a crc of the bytes before it', () => {
    const line = encodeRecord(record);
    const body =
      '{"v":1,"seq":42,"at":"2026-03-01T10:00:00.000Z","actor":"ana","path":"/cats/a.jpg","version":3,"base":2,' +
      '"mutation_id":"key-00000042","fp":"patch:0123456789abcdef",' +
      '"changes":[{"kind":"star_set","star":4,"from":2},{"kind":"tags_added","tags":["cute"]}]';
    const crc = crc32(Buffer.from(body, 'utf8')).toString(16).padStart(8, '0');
    expect(line).toBe(`${body},"crc":"${crc}"}`);
  });

  test('omits base when the request had no expected version, and never writes a newline', () => {
    const { base: _base, ...withoutBase } = record;
    const line = encodeRecord(withoutBase);
    expect(line).not.toContain('"base"');
    expect(line).not.toContain('\n');
  });

  test('crc covers UTF-8 bytes, not UTF-16 code units', () => {
    const line = encodeRecord({ ...record, actor: 'Zoë 🐱', path: '/é/ß.jpg' as CanonicalPath });
    const body = line.slice(0, line.lastIndexOf(',"crc":'));
    expect(line.slice(-10, -2)).toBe(
      crc32(Buffer.from(body, 'utf8')).toString(16).padStart(8, '0'),
    );
    expect(decodeLine(line, 1)).toEqual({
      ok: true,
      record: { ...record, actor: 'Zoë 🐱', path: '/é/ß.jpg' },
    });
  });
});

describe('decodeLine', () => {
  test('round-trips every change kind', () => {
    const all: LabelRecord = {
      ...record,
      changes: [
        { kind: 'star_set', star: null, from: 5 },
        { kind: 'notes_set', notes: 'a "quoted"\nline', from: '' },
        { kind: 'tags_set', tags: ['x', 'y'], from: [] },
        { kind: 'tags_removed', tags: ['x'] },
        { kind: 'tags_added', tags: ['z'] },
        {
          kind: 'metrics_set',
          metrics: { score: 0.5, gone: null },
          from: { score: null, gone: 2 },
        },
      ],
    };
    expect(decodeLine(encodeRecord(all), 7)).toEqual({ ok: true, record: all });
  });

  test.each([
    ['a flipped byte', (l: string) => l.replace('"ana"', '"anb"'), /crc mismatch/],
    [
      'a missing crc',
      (l: string) => `${l.slice(0, l.lastIndexOf(',"crc"'))}}`,
      /does not end with a crc/,
    ],
    ['a cut-off line', (l: string) => l.slice(0, 60), /does not end with a crc/],
    ['an empty line', () => '', /does not end with a crc/],
  ])('rejects %s, naming the line', (_what, damage, problem) => {
    const result = decodeLine(damage(encodeRecord(record)), 12);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toMatch(/^line 12: /);
      expect(result.problem).toMatch(problem);
    }
  });

  test('rejects a line whose crc is right but whose record is not valid', () => {
    const bad = encodeRecord({ ...record, version: 1 });
    const result = decodeLine(bad, 3);
    expect(result).toEqual({
      ok: false,
      problem: 'line 3: field "version" must be an integer ≥ 2',
    });
  });

  test('rejects a path that is not canonical', () => {
    const result = decodeLine(encodeRecord({ ...record, path: '/a//b.jpg' as CanonicalPath }), 1);
    expect(result).toEqual({ ok: false, problem: 'line 1: path "/a//b.jpg" is not canonical' });
  });
});

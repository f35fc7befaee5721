import { describe, expect, test } from 'vitest';
import { type ExportRow, encodeExport } from './export-codec.ts';
import type { CanonicalPath } from './paths.ts';
import { labelsWith } from './test-support.ts';

const rows: ExportRow[] = [
  {
    path: '/z, "quoted".jpg' as CanonicalPath,
    labels: labelsWith({
      star: 3,
      tags: ['a,b', 'c'],
      notes: 'line1\nline2 "q"',
      version: 4,
      metrics: { s: 0.5 },
      updated_at: '2026-01-01T00:00:00.000Z',
      updated_by: 'ana',
    }),
    present: false,
  },
  {
    path: '/a.jpg' as CanonicalPath,
    labels: labelsWith({
      tags: ['x'],
      version: 2,
      metrics: { b: 1 },
      updated_at: '2026-01-02T00:00:00.000Z',
      updated_by: 'bo',
    }),
    present: true,
  },
];
const encode = (format: 'json' | 'csv' | 'jsonl') => [...encodeExport(format, 12, rows)].join('');

describe('encodeExport', () => {
  test('json is valid JSON, sorted by path, one item per line', () => {
    const text = encode('json');
    const parsed = JSON.parse(text);
    expect(parsed.seq).toBe(12);
    expect(Object.keys(parsed.items)).toEqual(['/a.jpg', '/z, "quoted".jpg']);
    expect(parsed.items['/a.jpg']).toEqual({
      star: null,
      tags: ['x'],
      notes: '',
      metrics: { b: 1 },
      version: 2,
      updated_at: '2026-01-02T00:00:00.000Z',
      updated_by: 'bo',
    });
    expect(text.split('\n')).toHaveLength(5);
  });

  test('csv follows RFC 4180 with sorted metric columns', () => {
    const lines = encode('csv').split('\r\n');
    expect(lines[0]).toBe(
      'path,star,tags,notes,version,updated_at,updated_by,present,metrics.b,metrics.s',
    );
    expect(lines[1]).toBe('/a.jpg,,"[""x""]",,2,2026-01-02T00:00:00.000Z,bo,true,1,');
    expect(lines[2]).toBe(
      '"/z, ""quoted"".jpg",3,"[""a,b"",""c""]","line1\nline2 ""q""",4,2026-01-01T00:00:00.000Z,ana,false,,0.5',
    );
  });

  test('jsonl has one object per item with presence', () => {
    const lines = encode('jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.path, l.present])).toEqual([
      ['/a.jpg', true],
      ['/z, "quoted".jpg', false],
    ]);
  });

  test('an empty export is still well-formed', () => {
    expect(JSON.parse([...encodeExport('json', 0, [])].join(''))).toEqual({ seq: 0, items: {} });
  });

  test('rows with fields add them after the labels (json, jsonl) and as fields.<name> columns (csv)', () => {
    const withFields: ExportRow[] = [
      { ...rows[1]!, fields: { aesthetic: 7.5, style: 'anime, "x"', keywords: ['a', 'b'] } },
      { ...rows[0]!, fields: { aesthetic: null, style: 'photo', keywords: null } },
    ];
    const json = JSON.parse([...encodeExport('json', 3, withFields)].join(''));
    expect(json.items['/a.jpg'].fields).toEqual({
      aesthetic: 7.5,
      style: 'anime, "x"',
      keywords: ['a', 'b'],
    });
    expect(json.items['/a.jpg'].updated_by).toBe('bo');
    const jsonl = [...encodeExport('jsonl', 3, withFields)]
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(jsonl[1]).toMatchObject({ path: '/z, "quoted".jpg', present: false });
    expect(jsonl[1].fields).toEqual({ aesthetic: null, style: 'photo', keywords: null });
    const csv = [...encodeExport('csv', 3, withFields)].join('').split('\r\n');
    expect(csv[0]).toBe(
      'path,star,tags,notes,version,updated_at,updated_by,present,metrics.b,metrics.s,fields.aesthetic,fields.style,fields.keywords',
    );
    expect(csv[1]).toBe(
      '/a.jpg,,"[""x""]",,2,2026-01-02T00:00:00.000Z,bo,true,1,,7.5,"anime, ""x""","[""a"",""b""]"',
    );
    expect(csv[2]!.endsWith(',false,,0.5,,photo,')).toBe(true);
  });

  test('rows without fields encode byte for byte as before (a folder export equals a replay)', () => {
    const a =
      '"/a.jpg":{"star":null,"tags":["x"],"notes":"","metrics":{"b":1},"version":2,"updated_at":"2026-01-02T00:00:00.000Z","updated_by":"bo"}';
    const z =
      '"/z, \\"quoted\\".jpg":{"star":3,"tags":["a,b","c"],"notes":"line1\\nline2 \\"q\\"","metrics":{"s":0.5},"version":4,"updated_at":"2026-01-01T00:00:00.000Z","updated_by":"ana"}';
    expect(encode('json')).toBe(`{"seq":12,"items":{\n${a},\n${z}\n}}\n`);
  });
});

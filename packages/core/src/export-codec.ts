/**
 * The one encoder of label exports, shared by `GET/POST /export` and `lenslet replay`, so an
 * export `as_of` a seq and a replay `--until` that seq are byte-for-byte identical.
 *
 * - json:  `{"seq":N,"items":{` then one `"<path>":{labels}` per line, then `}}` — valid JSON,
 *          streamable, items sorted by path.
 * - jsonl: one `{"path",…labels,"present"}` object per line.
 * - csv:   RFC 4180 with CRLF; header `path,star,tags,notes,version,updated_at,updated_by,present,
 *          metrics.<name>…` (metric columns sorted); `tags` is a JSON array; empty cell = null/unknown.
 */
import type { Labels } from './labels.ts';
import type { CanonicalPath } from './paths.ts';

export const EXPORT_FORMATS = ['json', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One labeled image in an export; `present` is null when the file's presence is unknown. */
export type ExportRow = {
  readonly path: CanonicalPath;
  readonly labels: Labels;
  readonly present: boolean | null;
};

/** MIME type of each format. */
export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

function labelsJson(labels: Labels): string {
  return JSON.stringify({
    star: labels.star,
    tags: labels.tags,
    notes: labels.notes,
    metrics: labels.metrics,
    version: labels.version,
    updated_at: labels.updated_at,
    updated_by: labels.updated_by,
  });
}

/** Sort rows by path (code-unit order, stable across runs and machines). */
function sorted(rows: Iterable<ExportRow>): ExportRow[] {
  return [...rows].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Encode an export as a sequence of chunks (never one giant string). */
export function* encodeExport(
  format: ExportFormat,
  seq: number,
  rows: Iterable<ExportRow>,
): Generator<string> {
  const ordered = sorted(rows);
  switch (format) {
    case 'json': {
      yield `{"seq":${seq},"items":{`;
      let first = true;
      for (const row of ordered) {
        yield `${first ? '\n' : ',\n'}${JSON.stringify(row.path)}:${labelsJson(row.labels)}`;
        first = false;
      }
      yield '\n}}\n';
      return;
    }
    case 'jsonl':
      for (const row of ordered) {
        const body = labelsJson(row.labels).slice(1, -1);
        yield `{"path":${JSON.stringify(row.path)},${body},"present":${row.present}}\n`;
      }
      return;
    case 'csv': {
      const metricNames = [
        ...new Set(ordered.flatMap((r) => Object.keys(r.labels.metrics))),
      ].sort();
      const header = [
        'path',
        'star',
        'tags',
        'notes',
        'version',
        'updated_at',
        'updated_by',
        'present',
      ];
      yield `${[...header, ...metricNames.map((m) => `metrics.${m}`)].map(csvField).join(',')}\r\n`;
      for (const { path, labels, present } of ordered) {
        const cells = [
          path,
          labels.star === null ? '' : String(labels.star),
          JSON.stringify(labels.tags),
          labels.notes,
          String(labels.version),
          labels.updated_at ?? '',
          labels.updated_by ?? '',
          present === null ? '' : String(present),
          ...metricNames.map((m) =>
            Object.hasOwn(labels.metrics, m) ? String(labels.metrics[m]) : '',
          ),
        ];
        yield `${cells.map(csvField).join(',')}\r\n`;
      }
      return;
    }
  }
}

/**
 * The one encoder of label exports, shared by `GET/POST /export` and `lenslet replay`, so an
 * export `as_of` a seq and a replay `--until` that seq are byte-for-byte identical.
 *
 * - json:  `{"seq":N,"items":{` then one `"<path>":{labels}` per line, then `}}` — valid JSON,
 *          streamable, items sorted by path.
 * - jsonl: one `{"path",…labels,"present"}` object per line.
 * - csv:   RFC 4180 with CRLF; header `path,star,tags,notes,version,updated_at,updated_by,present,
 *          metrics.<name>…` (metric columns sorted), then `fields.<name>…` (in the order the rows
 *          name them); `tags` and list fields are JSON arrays; empty cell = null/unknown.
 *
 * A row may carry `fields` (a served table's columns for that item): json and jsonl then add
 * `"fields":{…}` after the labels. Rows without `fields` encode exactly as before, so a folder
 * export still equals `lenslet replay`.
 */
import type { Labels } from './labels.ts';
import type { CanonicalPath } from './paths.ts';
import type { FieldValue } from './protocol/field-list.ts';

export const EXPORT_FORMATS = ['json', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One image in an export; `present` is null when the file's presence is unknown. */
export type ExportRow = {
  readonly path: CanonicalPath;
  readonly labels: Labels;
  readonly present: boolean | null;
  /** The item's table fields (a label metric overrides the table value), when exported. */
  readonly fields?: Readonly<Record<string, FieldValue>>;
};

/** MIME type of each format. */
export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

function labelsJson(row: ExportRow): string {
  const { labels } = row;
  const text = JSON.stringify({
    star: labels.star,
    tags: labels.tags,
    notes: labels.notes,
    metrics: labels.metrics,
    version: labels.version,
    updated_at: labels.updated_at,
    updated_by: labels.updated_by,
  });
  return row.fields === undefined
    ? text
    : `${text.slice(0, -1)},"fields":${JSON.stringify(row.fields)}}`;
}

/** A field value as one CSV cell: '' for null, lists as a JSON array. */
function fieldCell(value: FieldValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
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
        yield `${first ? '\n' : ',\n'}${JSON.stringify(row.path)}:${labelsJson(row)}`;
        first = false;
      }
      yield '\n}}\n';
      return;
    }
    case 'jsonl':
      for (const row of ordered) {
        const body = labelsJson(row).slice(1, -1);
        yield `{"path":${JSON.stringify(row.path)},${body},"present":${row.present}}\n`;
      }
      return;
    case 'csv': {
      const metricNames = [
        ...new Set(ordered.flatMap((r) => Object.keys(r.labels.metrics))),
      ].sort();
      const fieldNames = [...new Set(ordered.flatMap((r) => Object.keys(r.fields ?? {})))];
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
      const columns = [
        ...header,
        ...metricNames.map((m) => `metrics.${m}`),
        ...fieldNames.map((f) => `fields.${f}`),
      ];
      yield `${columns.map(csvField).join(',')}\r\n`;
      for (const { path, labels, present, fields } of ordered) {
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
          ...fieldNames.map((f) => fieldCell(fields?.[f])),
        ];
        yield `${cells.map(csvField).join(',')}\r\n`;
      }
      return;
    }
  }
}

/**
 * `GET /export?format=json|csv|jsonl&path=&as_of=<seq>` and `POST /export` (the same plus the
 * `/folders/query` filters): every labeled item in scope, as of the log head or an earlier seq,
 * streamed through core's `encodeExport` (the encoder `lenslet replay` uses, so the JSON of an
 * export `as_of` N is byte-for-byte `lenslet replay --until N`). `present: false` marks items
 * whose file is gone. Filters only match images that are present.
 */
import {
  assertCanonicalPath,
  type CanonicalPath,
  EMPTY_LABELS,
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportRow,
  encodeExport,
  isLabeled,
  type Labels,
  LensletError,
  parseOrThrow,
  queryFiltersSchema,
  ROOT_PATH,
} from '@lenslet/core';
import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import { jsonBody, MAX_JSON_BODY_BYTES } from '../body.ts';
import type { RouteContext } from '../context.ts';
import { chunked, exportRows } from '../export-rows.ts';
import { queryString } from '../http.ts';
import { runQuery } from '../query.ts';

const exportBodySchema = z.strictObject({
  format: z.enum(EXPORT_FORMATS).default('json'),
  path: z.string().default('/'),
  as_of: z.int().min(0).optional(),
  recursive: z.boolean().default(true),
  filters: queryFiltersSchema.default({}),
  text_query: z.string().max(1000).default(''),
});

type ExportRequest = {
  readonly format: ExportFormat;
  readonly scope: CanonicalPath;
  readonly as_of: number | undefined;
};

function toFormat(raw: string | undefined): ExportFormat {
  if (raw === undefined || raw === '') return 'json';
  if (!(EXPORT_FORMATS as readonly string[]).includes(raw)) {
    throw new LensletError('invalid_request', `format must be one of ${EXPORT_FORMATS.join(', ')}`);
  }
  return raw as ExportFormat;
}

function toAsOf(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) {
    throw new LensletError('invalid_request', 'as_of must be a record seq (a whole number ≥ 0)');
  }
  return Number(raw);
}

/** Labels of every item as of `as_of` (the head when absent) and the seq they reflect. */
async function labelsAsOf(
  ctx: RouteContext,
  as_of: number | undefined,
): Promise<{ seq: number; items: ReadonlyMap<CanonicalPath, Labels> }> {
  const { store } = ctx.deps;
  const head = store.head();
  if (as_of !== undefined && as_of > head) {
    throw new LensletError('invalid_request', `as_of ${as_of} is ahead of the log head ${head}`);
  }
  if (as_of === undefined || as_of === head) {
    // A copy: the live map may change while the export streams.
    return { seq: head, items: new Map(store.items()) };
  }
  const state = await store.stateAt(as_of);
  return { seq: state.seq, items: state.items };
}

async function stream(
  res: Response,
  request: ExportRequest,
  seq: number,
  rows: readonly ExportRow[],
): Promise<void> {
  const extension = request.format === 'jsonl' ? 'jsonl' : request.format;
  res.status(200);
  res.set({
    'Content-Type': EXPORT_CONTENT_TYPES[request.format],
    'Content-Disposition': `attachment; filename="lenslet-labels-${seq}.${extension}"`,
    'Lenslet-Seq': String(seq),
    'Cache-Control': 'no-store',
  });
  for (const chunk of chunked(encodeExport(request.format, seq, rows))) {
    if (res.destroyed) return;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}

export function registerExport(app: Express, ctx: RouteContext): void {
  const { gallery } = ctx.deps;
  const present = (path: CanonicalPath) => gallery.get(path) !== undefined;

  app.get('/export', async (req: Request, res: Response) => {
    const request: ExportRequest = {
      format: toFormat(queryString(req, 'format')),
      scope: assertCanonicalPath(queryString(req, 'path') ?? ROOT_PATH, 'path'),
      as_of: toAsOf(queryString(req, 'as_of')),
    };
    const { seq, items } = await labelsAsOf(ctx, request.as_of);
    await stream(res, request, seq, exportRows(items, request.scope, present));
  });

  app.post('/export', jsonBody(MAX_JSON_BODY_BYTES), async (req: Request, res: Response) => {
    const input = parseOrThrow(exportBodySchema, req.body ?? {});
    const request: ExportRequest = {
      format: input.format,
      scope: assertCanonicalPath(input.path, 'path'),
      as_of: input.as_of,
    };
    const { seq, items } = await labelsAsOf(ctx, request.as_of);
    const filtered = Object.keys(input.filters).length > 0 || input.text_query.trim() !== '';
    if (!filtered) {
      const rows = exportRows(items, request.scope, present, input.recursive);
      await stream(res, request, seq, rows);
      return;
    }
    const labelsOf = (path: CanonicalPath) => items.get(path) ?? EMPTY_LABELS;
    const { page } = runQuery(gallery.items(request.scope, input.recursive), labelsOf, {
      filters: input.filters,
      text_query: input.text_query,
      offset: 0,
      limit: Number.MAX_SAFE_INTEGER,
    });
    const rows = page
      .filter((row) => isLabeled(row.labels))
      .map((row): ExportRow => ({ path: row.entry.path, labels: row.labels, present: true }));
    await stream(res, request, seq, rows);
  });
}

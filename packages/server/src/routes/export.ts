/**
 * `GET /export?format=json|csv|jsonl&path=&as_of=<seq>&labeled_only=&fields=` and `POST /export`
 * (the same plus the `/folders/query` filters, text query and derived score): the items in scope
 * (labeled ones unless `labeled_only` is false), as of the log head or an earlier seq, selected
 * by the one query engine (query/export-query.ts) and streamed through core's `encodeExport`
 * (the encoder `lenslet replay` uses, so a folder's JSON export `as_of` N is byte-for-byte
 * `lenslet replay --until N`). `present: false` marks items whose file is gone; rows of a served
 * table carry its fields.
 */
import {
  assertCanonicalPath,
  type CanonicalPath,
  derivedSchema,
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportRow,
  encodeExport,
  fieldNameSchema,
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
import { chunked } from '../export-rows.ts';
import { queryBool, queryString } from '../http.ts';
import { type ExportSelection, selectExportRows } from '../query/export-query.ts';
import { labelRows } from '../query/label-rows.ts';
import { allowQuery } from '../query-params.ts';

/** At most this many names in `fields`. */
export const EXPORT_MAX_FIELDS = 256;

const exportBodySchema = z.strictObject({
  format: z.enum(EXPORT_FORMATS).default('json'),
  path: z.string().default('/'),
  as_of: z.int().min(0).optional(),
  recursive: z.boolean().default(true),
  filters: queryFiltersSchema.default({}),
  text_query: z.string().max(1000).default(''),
  derived: derivedSchema.optional(),
  fields: z.array(fieldNameSchema).max(EXPORT_MAX_FIELDS).optional(),
  labeled_only: z.boolean().default(true),
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

/** `fields=a,b` of a GET: the names; `fields=` (empty): none; absent: the default. */
function toFields(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').filter((name) => name !== '');
  return parseOrThrow(z.array(fieldNameSchema).max(EXPORT_MAX_FIELDS), names);
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
  // The head's live map is only read synchronously, before the first write of the stream.
  if (as_of === undefined || as_of === head) return { seq: head, items: store.items() };
  const state = await store.stateAt(as_of);
  return { seq: state.seq, items: state.items };
}

/** The rows of `selection` as of `as_of`, selected by the engine, and the seq they reflect. */
async function select(
  ctx: RouteContext,
  as_of: number | undefined,
  selection: ExportSelection,
): Promise<{ seq: number; rows: ExportRow[] }> {
  const { seq, items } = await labelsAsOf(ctx, as_of);
  const view = ctx.catalog.view();
  const rows = labelRows(view, items, seq);
  return { seq, rows: selectExportRows(view, ctx.deps.gallery, items, rows, selection) };
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
  app.get('/export', async (req: Request, res: Response) => {
    allowQuery(req, ['format', 'path', 'as_of', 'labeled_only', 'fields']);
    const request: ExportRequest = {
      format: toFormat(queryString(req, 'format')),
      scope: assertCanonicalPath(queryString(req, 'path') ?? ROOT_PATH, 'path'),
      as_of: toAsOf(queryString(req, 'as_of')),
    };
    const fields = toFields(queryString(req, 'fields'));
    const { seq, rows } = await select(ctx, request.as_of, {
      path: request.scope,
      recursive: true,
      filters: {},
      text_query: '',
      labeled_only: queryBool(req, 'labeled_only', true),
      ...(fields === undefined ? {} : { fields }),
    });
    await stream(res, request, seq, rows);
  });

  app.post('/export', jsonBody(MAX_JSON_BODY_BYTES), async (req: Request, res: Response) => {
    const input = parseOrThrow(exportBodySchema, req.body ?? {});
    const request: ExportRequest = {
      format: input.format,
      scope: assertCanonicalPath(input.path, 'path'),
      as_of: input.as_of,
    };
    const { format: _, as_of: __, path: ___, ...selection } = input;
    const { seq, rows } = await select(ctx, request.as_of, { ...selection, path: request.scope });
    await stream(res, request, seq, rows);
  });
}

/**
 * `importLog`: copy a whole label log into a database that holds none (what `lenslet migrate`
 * uses): every record as its JSONL line, its idempotency key, the counter, the log id and the
 * saved views — in one transaction, so the database holds the whole copy or nothing. Records must
 * come in seq order from `origin + 1` without a gap.
 */
import { type LabelRecord, LensletError, type ViewsDocument } from '@lenslet/core';
import { encodeRecord } from '@lenslet/store';
import type { Sql } from 'postgres';
import { checkUrl, openError, openPool, redactUrl } from './connection.ts';
import { resolveOptions } from './options.ts';
import { migrate } from './schema.ts';
import { replaceViews } from './shared-views.ts';

export type LogSource = {
  readonly log_id: string;
  /** Records in seq order from `origin + 1`, in batches of any size. */
  readonly batches: AsyncIterable<readonly LabelRecord[]>;
  /**
   * The seq the log starts after over the empty state: 0, or past the original Lenslet's event
   * ids for a workspace imported from it (kept as `first_seq`). Default 0.
   */
  readonly origin?: number;
  readonly views: ViewsDocument;
};

export type ImportReport = { readonly records: number; readonly head: number };

const CHUNK_ROWS = 5_000;

async function insertChunk(tx: Sql, records: readonly LabelRecord[]): Promise<void> {
  const seqs = records.map((r) => r.seq);
  const paths = records.map((r) => r.path as string);
  const keys = records.map((r) => r.mutation_id);
  const lines = records.map(encodeRecord);
  await tx`INSERT INTO lenslet_log (seq, path, mutation_id, line)
    SELECT * FROM unnest(${seqs}::bigint[], ${paths}::text[], ${keys}::text[], ${lines}::text[])`;
  await tx`INSERT INTO lenslet_keys (mutation_id, path, mode, fp, seq, at_ms)
    SELECT k, p, split_part(f, ':', 1), f, s, a
    FROM unnest(${keys}::text[], ${paths}::text[], ${records.map((r) => r.fp)}::text[],
                ${seqs}::bigint[], ${records.map((r) => Date.parse(r.at))}::bigint[]) AS t(k, p, f, s, a)
    ON CONFLICT (mutation_id, path) DO NOTHING`;
}

/** Copy `source` into the database at `url`, which must hold no records and no views. */
export async function importLog(url: string, source: LogSource): Promise<ImportReport> {
  checkUrl(url);
  const opts = resolveOptions({ read_timeout_ms: 0 });
  const sql = openPool(url, 'reads', opts);
  try {
    await migrate(sql).catch((error) => {
      throw openError(error, url);
    });
    return await sql.begin(async (tx) => {
      const [head] = await tx`SELECT seq FROM lenslet_head WHERE id = 1 FOR UPDATE`;
      const [views] = await tx`SELECT revision FROM lenslet_views WHERE id = 1`;
      if (Number(head?.seq ?? 0) > 0 || Number(views?.revision ?? 0) > 0) {
        throw new LensletError(
          'precondition_failed',
          `the database at ${redactUrl(url)} already holds labels or views (head ${head?.seq ?? 0}); migrate into an empty database`,
        );
      }
      const now = new Date().toISOString();
      const origin = source.origin ?? 0;
      await tx`INSERT INTO lenslet_log_meta (id, log_id, created_at, first_seq)
               VALUES (1, ${source.log_id}, ${now}, ${origin + 1})
               ON CONFLICT (id) DO UPDATE SET log_id = excluded.log_id, first_seq = excluded.first_seq`;
      let last = origin;
      let chunk: LabelRecord[] = [];
      const write = async () => {
        if (chunk.length > 0) await insertChunk(tx as unknown as Sql, chunk);
        chunk = [];
      };
      for await (const batch of source.batches) {
        for (const record of batch) {
          if (record.seq !== last + 1) {
            throw new LensletError(
              'corrupt_log',
              `the source log jumps from seq ${last} to ${record.seq}; nothing was copied`,
            );
          }
          last = record.seq;
          chunk.push(record);
          if (chunk.length >= CHUNK_ROWS) await write();
        }
      }
      await write();
      await tx`UPDATE lenslet_head SET seq = ${last} WHERE id = 1`;
      if (source.views.revision > 0) await replaceViews(tx as unknown as Sql, source.views, now);
      return { records: last - origin, head: last };
    });
  } finally {
    await sql.end({ timeout: 5 }).catch(() => {});
  }
}

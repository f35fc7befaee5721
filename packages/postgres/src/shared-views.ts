/**
 * The saved views of a workspace in the database (`lenslet_views`, one row), so every replica
 * reads and writes the same document. A write locks the row, checks the revision it was based on
 * (409 `version_conflict` when someone saved in between), stores revision + 1 and NOTIFYs it in
 * the same COMMIT; every replica hears the new revision (`onChange`) and tells its browsers
 * (`views-updated`). The views are opaque JSON objects owned by the web client.
 */
import { LensletError, type ViewsDocument } from '@lenslet/core';
import type { Sql } from 'postgres';
import { isUnavailable } from './connection.ts';

export const VIEWS_CHANNEL = 'lenslet_views';

/** The views as replicas share them (the server's ViewsRepository shape). */
export interface SharedViews {
  /** Always null: the views live in the database. */
  readonly file: null;
  read(): Promise<ViewsDocument>;
  /** Replace the views if the current revision is `expected` (when given); resolves once committed. */
  write(views: ViewsDocument['views'], expected: number | undefined): Promise<ViewsDocument>;
  /** Called with the revision of every committed write, this replica's included. */
  onChange(listener: (revision: number) => void): () => void;
}

type Row = { revision: string | number; views: string };

function toDocument(row: Row | undefined): ViewsDocument {
  if (row === undefined) return { version: 1, revision: 0, views: [] };
  const views: unknown = JSON.parse(row.views);
  if (!Array.isArray(views) || !views.every((v) => typeof v === 'object' && v !== null)) {
    throw new LensletError('internal', 'lenslet_views holds something other than a list of views');
  }
  return { version: 1, revision: Number(row.revision), views: views as ViewsDocument['views'] };
}

function unavailable(error: unknown, what: string): unknown {
  if (error instanceof LensletError || !isUnavailable(error)) return error;
  return new LensletError(
    'persistence_unavailable',
    `the views cannot be ${what} right now (the database is unavailable); nothing was changed`,
    { cause: error },
  );
}

/** Read the stored views (revision 0 and no views before the first write). */
export async function readViews(sql: Sql): Promise<ViewsDocument> {
  const [row] = await sql<Row[]>`SELECT revision, views FROM lenslet_views WHERE id = 1`;
  return toDocument(row);
}

/** Store `views` as the next revision (no check): what `lenslet migrate` copies. */
export async function replaceViews(sql: Sql, doc: ViewsDocument, now: string): Promise<void> {
  await sql`
    INSERT INTO lenslet_views (id, revision, views, updated_at)
    VALUES (1, ${doc.revision}, ${JSON.stringify(doc.views)}, ${now})
    ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, views = excluded.views,
      updated_at = excluded.updated_at`;
}

/** The views at `sql`; `revision` is the stored one now (announcements start after it). */
export function sharedViews(sql: Sql, clock: () => Date, revision: number): SharedViews {
  const listeners = new Set<(revision: number) => void>();
  let listening = false;
  /** The newest revision announced to the listeners. */
  let seen = revision;
  return {
    file: null,
    async read() {
      try {
        return await readViews(sql);
      } catch (error) {
        throw unavailable(error, 'read');
      }
    },
    async write(views, expected) {
      try {
        return await sql.begin(async (tx) => {
          const [row] = await tx<Row[]>`
            SELECT revision, views FROM lenslet_views WHERE id = 1 FOR UPDATE`;
          const current = toDocument(row);
          if (expected !== undefined && expected !== current.revision) {
            throw new LensletError(
              'version_conflict',
              `the views changed since revision ${expected} (now ${current.revision}); reload them and apply your change again`,
              { details: { current_revision: current.revision } },
            );
          }
          const next: ViewsDocument = { version: 1, revision: current.revision + 1, views };
          await replaceViews(tx as unknown as Sql, next, clock().toISOString());
          await tx`SELECT pg_notify(${VIEWS_CHANNEL}, ${String(next.revision)})`;
          return next;
        });
      } catch (error) {
        throw unavailable(error, 'saved');
      }
    },
    onChange(listener) {
      listeners.add(listener);
      const tell = (revision: number) => {
        if (revision <= seen) return;
        seen = revision;
        for (const l of listeners) l(revision);
      };
      if (!listening) {
        listening = true;
        void sql
          .listen(
            VIEWS_CHANNEL,
            (payload) => {
              const revision = Number(payload);
              if (Number.isSafeInteger(revision)) tell(revision);
            },
            // After a reconnect: a write may have been announced while nobody listened.
            () => {
              readViews(sql).then(
                (doc) => tell(doc.revision),
                () => {},
              );
            },
          )
          .catch(() => {
            listening = false;
          });
      }
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

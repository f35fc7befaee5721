/**
 * Saved smart folders ("views") of a workspace: `<workspace>/views.json`, or memory only when the
 * labels are ephemeral.
 *
 * File shape: `{"version": 1, "revision": N, "views": [ {…}, … ]}`. `version` is the format (the
 * original Lenslet's field, always 1); `revision` counts accepted writes and is what `If-Match`
 * compares (a file without it, e.g. from the original, is revision 1; no file is revision 0).
 * The views themselves are opaque JSON objects owned by the web client.
 *
 * Invariants: a write replaces the file atomically (temp file, fsync, rename, fsync of the
 * directory), so a crash leaves the old or the new file, never half of one; writes are serialized,
 * so the revision check and the write cannot interleave; a file that cannot be parsed is never
 * overwritten — reads and writes fail until a person fixes or moves it.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LensletError } from '@lenslet/core';
import { z } from 'zod';

export const VIEWS_FILE_NAME = 'views.json';
export const MAX_VIEWS = 1000;

const viewSchema = z.record(z.string(), z.unknown());

/** What is stored and answered. */
export type ViewsDocument = {
  readonly version: 1;
  readonly revision: number;
  readonly views: readonly Readonly<Record<string, unknown>>[];
};

const storedSchema = z.object({
  version: z.number().int().optional(),
  revision: z.number().int().min(0).optional(),
  views: z.array(viewSchema),
});

/** `PUT /views` body: the original's `{version, views}`, plus an optional base `revision`. */
export const viewsBodySchema = z.strictObject({
  version: z.literal(1).optional(),
  revision: z.int().min(0).optional(),
  views: z.array(viewSchema).max(MAX_VIEWS),
});

export interface ViewsRepository {
  /** Where the views live: the file, or null when kept in memory. */
  readonly file: string | null;
  read(): Promise<ViewsDocument>;
  /** Replace the views if the current revision is `expected` (when given); resolves once durable. */
  write(views: ViewsDocument['views'], expected: number | undefined): Promise<ViewsDocument>;
  /**
   * A repository several servers share (a database) announces the revision of every write,
   * other servers' included; the live stream then broadcasts `views-updated` from here, and the
   * route does not. Absent for a file or memory: the route broadcasts its own writes.
   */
  onChange?(listener: (revision: number) => void): () => void;
}

const EMPTY: ViewsDocument = { version: 1, revision: 0, views: [] };

function checkExpected(current: ViewsDocument, expected: number | undefined): void {
  if (expected !== undefined && expected !== current.revision) {
    throw new LensletError(
      'version_conflict',
      `the views changed since revision ${expected} (now ${current.revision}); reload them and apply your change again`,
      { details: { current_revision: current.revision } },
    );
  }
}

/** Views kept in this process only (ephemeral workspaces, tests). */
export function createMemoryViews(): ViewsRepository {
  let current = EMPTY;
  return {
    file: null,
    read: async () => current,
    write: async (views, expected) => {
      checkExpected(current, expected);
      current = { version: 1, revision: current.revision + 1, views };
      return current;
    },
  };
}

/** Views in `<dir>/views.json`. */
export function createViewsFile(dir: string): ViewsRepository {
  const file = join(dir, VIEWS_FILE_NAME);
  let cached: { doc: ViewsDocument; mtimeMs: number; size: number } | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  /** The file's content, re-read when someone edited it by hand since the last read. */
  async function load(): Promise<ViewsDocument> {
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (info === null) {
      cached = null;
      return EMPTY;
    }
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.doc;
    const text = await readFile(file, 'utf8');
    let parsed: z.infer<typeof storedSchema>;
    try {
      parsed = storedSchema.parse(JSON.parse(text));
    } catch (error) {
      throw new LensletError(
        'internal',
        `the saved views in ${file} cannot be read (${error instanceof SyntaxError ? 'not valid JSON' : 'unexpected shape'}); fix or move that file, then retry`,
        { cause: error },
      );
    }
    const doc: ViewsDocument = { version: 1, revision: parsed.revision ?? 1, views: parsed.views };
    cached = { doc, mtimeMs: info.mtimeMs, size: info.size };
    return doc;
  }

  async function writeAtomically(doc: ViewsDocument): Promise<void> {
    const temp = join(dir, `.${VIEWS_FILE_NAME}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(`${JSON.stringify(doc, null, 2)}\n`, 'utf8');
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temp).catch(() => {});
      throw error;
    }
    await handle.close();
    await rename(temp, file).catch(async (error) => {
      await unlink(temp).catch(() => {});
      throw error;
    });
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }

  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  }

  return {
    file,
    read: () => serialized(load),
    write: (views, expected) =>
      serialized(async () => {
        const current = await load();
        checkExpected(current, expected);
        const next: ViewsDocument = { version: 1, revision: current.revision + 1, views };
        try {
          await writeAtomically(next);
        } catch (error) {
          throw new LensletError(
            'persistence_unavailable',
            `the views could not be saved to ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); nothing was changed`,
            { cause: error },
          );
        }
        const info = await stat(file);
        cached = { doc: next, mtimeMs: info.mtimeMs, size: info.size };
        return next;
      }),
  };
}

/**
 * Presence shared by replicas: every replica keeps the sessions of everyone (its own and the other
 * replicas') in memory and decides joins, heartbeats and counts there, at once; this channel
 * copies each change to the others. A replica `publish`es its changes; they are written, in
 * batches every PUBLISH_EVERY_MS, to the UNLOGGED table `lenslet_presence` (so a replica that
 * starts, or reconnects, loads everyone) and announced on the `lenslet_presence` channel in the
 * same COMMIT (so the others apply them within milliseconds, in commit order). Rows older than the
 * caller's TTL are deleted now and then. Presence is ephemeral: a failed publish is dropped with a
 * warning; the next heartbeat publishes the session again.
 *
 * Every session read back (row or notification) is checked before it is used.
 */
import { randomUUID } from 'node:crypto';
import { type CanonicalPath, isCanonicalPath } from '@lenslet/core';
import type { Sql } from 'postgres';

export const PRESENCE_CHANNEL = 'lenslet_presence';
const PUBLISH_EVERY_MS = 20;
/** NOTIFY payloads must stay under 8,000 bytes. */
const MAX_PAYLOAD_CHARS = 7_000;
const CLEANUP_EVERY_MS = 60_000;

/** One browser tab's presence (the server's PresenceSession). */
export type SharedSession = {
  readonly client_id: string;
  readonly gallery_id: CanonicalPath;
  readonly lease_id: string;
  readonly last_view_ms: number;
  readonly last_edit_ms: number | null;
};

/** A session that changed (null: it left or was replaced by nothing). */
export type SessionChange = { readonly client_id: string; readonly session: SharedSession | null };

export type PresenceListener = {
  /** Changes another replica published, in commit order. */
  changes(changes: readonly SessionChange[]): void;
  /** Every session in the table: at start and after the listening connection reconnected. */
  reload(sessions: readonly SharedSession[]): void;
};

/** The server's PresenceSharing port. */
export interface SharedPresence {
  publish(changes: readonly SessionChange[]): void;
  subscribe(listener: PresenceListener): () => void;
}

function toSession(value: unknown): SharedSession | null {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null) return null;
  const ok =
    typeof v.client_id === 'string' &&
    typeof v.gallery_id === 'string' &&
    isCanonicalPath(v.gallery_id) &&
    typeof v.lease_id === 'string' &&
    Number.isFinite(v.last_view_ms) &&
    (v.last_edit_ms === null || Number.isFinite(v.last_edit_ms));
  if (!ok) return null;
  return {
    client_id: v.client_id as string,
    gallery_id: v.gallery_id as CanonicalPath,
    lease_id: v.lease_id as string,
    last_view_ms: v.last_view_ms as number,
    last_edit_ms: v.last_edit_ms as number | null,
  };
}

/** One notification: `{"r": replica, "c": [[client_id, session | null], …]}`. */
function payloads(replica: string, changes: readonly SessionChange[]): string[] {
  const out: string[] = [];
  let batch: [string, SharedSession | null][] = [];
  let size = 0;
  const flush = () => {
    if (batch.length > 0) out.push(JSON.stringify({ r: replica, c: batch }));
    batch = [];
    size = 0;
  };
  for (const change of changes) {
    const entry: [string, SharedSession | null] = [change.client_id, change.session];
    const length = JSON.stringify(entry).length + 1;
    if (length > MAX_PAYLOAD_CHARS) continue; // cannot happen with the route's limits
    if (size + length > MAX_PAYLOAD_CHARS) flush();
    batch.push(entry);
    size += length;
  }
  flush();
  return out;
}

function parsePayload(payload: string, self: string): SessionChange[] {
  try {
    const message = JSON.parse(payload) as { r?: unknown; c?: unknown };
    if (message.r === self || !Array.isArray(message.c)) return [];
    const changes: SessionChange[] = [];
    for (const entry of message.c as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
      const session = entry[1] === null ? null : toSession(entry[1]);
      if (entry[1] !== null && session === null) continue;
      changes.push({ client_id: entry[0], session });
    }
    return changes;
  } catch {
    return [];
  }
}

export type SharedPresenceOptions = {
  readonly clock: () => Date;
  readonly onWarning: (message: string) => void;
  /** Rows not updated for this long are deleted (the server's view TTL). */
  readonly ttl_ms?: number;
};

export type SharedPresenceHandle = SharedPresence & { close(): Promise<void> };

export function sharedPresence(sql: Sql, options: SharedPresenceOptions): SharedPresenceHandle {
  const replica = randomUUID();
  const ttl = options.ttl_ms ?? 75_000;
  const pending = new Map<string, SharedSession | null>();
  const listeners = new Set<PresenceListener>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();
  let warned = false;
  let listening = false;
  let closed = false;

  const warnOnce = (error: unknown) => {
    if (warned) return;
    warned = true;
    options.onWarning(`presence could not be shared: ${(error as Error)?.message ?? error}`);
  };

  async function write(changes: SessionChange[]): Promise<void> {
    const now = options.clock().getTime();
    const upserts = changes.filter((c) => c.session !== null);
    const deletes = changes.filter((c) => c.session === null).map((c) => c.client_id);
    await sql.begin(async (tx) => {
      await tx`SET LOCAL synchronous_commit = off`;
      if (upserts.length > 0) {
        await tx`
          INSERT INTO lenslet_presence (client_id, session, replica, updated_ms)
          SELECT c, s, ${replica}, ${now}::bigint
          FROM unnest(${upserts.map((c) => c.client_id)}::text[],
                      ${upserts.map((c) => JSON.stringify(c.session))}::text[]) AS t(c, s)
          ON CONFLICT (client_id) DO UPDATE SET session = excluded.session,
            replica = excluded.replica, updated_ms = excluded.updated_ms`;
      }
      if (deletes.length > 0) {
        await tx`DELETE FROM lenslet_presence WHERE client_id = ANY(${deletes}::text[])`;
      }
      for (const payload of payloads(replica, changes)) {
        await tx`SELECT pg_notify(${PRESENCE_CHANNEL}, ${payload})`;
      }
    });
    warned = false;
  }

  function flush(): void {
    timer = null;
    if (pending.size === 0) return;
    const changes = [...pending].map(([client_id, session]) => ({ client_id, session }));
    pending.clear();
    writing = writing.then(() => write(changes).catch(warnOnce));
  }

  async function reload(): Promise<void> {
    const since = options.clock().getTime() - ttl;
    const rows = await sql<{ session: string }[]>`
      SELECT session FROM lenslet_presence WHERE updated_ms >= ${since}`;
    const sessions: SharedSession[] = [];
    for (const row of rows) {
      const session = toSession(JSON.parse(row.session));
      if (session) sessions.push(session);
    }
    for (const l of listeners) l.reload(sessions);
  }

  async function listen(): Promise<void> {
    listening = true;
    await sql.listen(
      PRESENCE_CHANNEL,
      (payload) => {
        const changes = parsePayload(payload, replica);
        if (changes.length > 0) for (const l of listeners) l.changes(changes);
      },
      () => void reload().catch(warnOnce),
    );
  }

  const cleanup = setInterval(() => {
    const before = options.clock().getTime() - ttl;
    sql`DELETE FROM lenslet_presence WHERE updated_ms < ${before}`.catch(() => {});
  }, CLEANUP_EVERY_MS);
  cleanup.unref?.();

  return {
    publish(changes) {
      if (closed) return;
      for (const change of changes) pending.set(change.client_id, change.session);
      timer ??= setTimeout(flush, PUBLISH_EVERY_MS);
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!listening) {
        listen().catch((error) => {
          listening = false;
          warnOnce(error);
        });
      }
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      closed = true;
      clearInterval(cleanup);
      if (timer) clearTimeout(timer);
      flush();
      await writing;
    },
  };
}

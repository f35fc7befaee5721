/**
 * Presence across replicas. Every replica holds everyone's sessions (a mirror) and decides joins,
 * leases and counts on its own, at once; the `PresenceSharing` port (the composition root gives
 * one when replicas share a database) copies each change to the others, which apply it to their
 * mirror and broadcast the new counts to their own browsers. So counts are global and a browser's
 * heartbeat may land on any replica behind a round-robin balancer.
 *
 * What is shared: a session when it joins, heartbeats, moves or leaves, and when it starts
 * editing (again at most every EDIT_REPUBLISH_MS while it keeps editing, so remote replicas keep
 * it "editing" without a message per write). Expiry is not shared: every replica prunes by the
 * same TTLs. After the shared table is reloaded (start, reconnect), sessions this replica knows
 * newer than the table are published again, so a table emptied by a database restart refills.
 */
import type { CanonicalPath } from '@lenslet/core';
import type { PresenceSession, PresenceTable } from './presence.ts';

/** A session as another replica sees it change (null: it left). */
export type SessionChange = {
  readonly client_id: string;
  readonly session: PresenceSession | null;
};

export type PresenceSharingListener = {
  /** Changes published by other replicas, in the order they were committed. */
  changes(changes: readonly SessionChange[]): void;
  /** Every session in the shared table (at start and after a reconnect). */
  reload(sessions: readonly PresenceSession[]): void;
};

/** How this replica's presence reaches the others (and theirs reaches it). */
export interface PresenceSharing {
  /** Send changes to the other replicas (batched, fire and forget). */
  publish(changes: readonly SessionChange[]): void;
  subscribe(listener: PresenceSharingListener): () => void;
}

/** While a session keeps editing, its `last_edit_ms` is shared again at most this often. */
export const EDIT_REPUBLISH_MS = 5_000;

export class PresenceReplication {
  readonly #sharing: PresenceSharing;
  readonly #table: PresenceTable;
  readonly #changed: (galleries: readonly CanonicalPath[]) => void;
  /** `last_edit_ms` last shared per client. */
  readonly #editShared = new Map<string, number>();
  readonly #unsubscribe: () => void;

  constructor(
    sharing: PresenceSharing,
    table: PresenceTable,
    changed: (galleries: readonly CanonicalPath[]) => void,
  ) {
    this.#sharing = sharing;
    this.#table = table;
    this.#changed = changed;
    this.#unsubscribe = sharing.subscribe({
      changes: (changes) => this.#apply(changes),
      reload: (sessions) => this.#reload(sessions),
    });
  }

  /** A session was decided here (join, heartbeat, move): share it. */
  put(session: PresenceSession): void {
    if (session.last_edit_ms === null) this.#editShared.delete(session.client_id);
    else this.#editShared.set(session.client_id, session.last_edit_ms);
    this.#sharing.publish([{ client_id: session.client_id, session }]);
  }

  /** A session left here. */
  remove(client_id: string): void {
    this.#editShared.delete(client_id);
    this.#sharing.publish([{ client_id, session: null }]);
  }

  /** A session wrote here: share it when its editing state is new or due for a refresh. */
  edited(session: PresenceSession, now: number): void {
    const shared = this.#editShared.get(session.client_id);
    if (shared !== undefined && now - shared < EDIT_REPUBLISH_MS) return;
    this.put(session);
  }

  /** Forget what was shared of sessions that are gone (pruned). */
  forget(live: (client_id: string) => boolean): void {
    for (const client_id of this.#editShared.keys()) {
      if (!live(client_id)) this.#editShared.delete(client_id);
    }
  }

  close(): void {
    this.#unsubscribe();
  }

  #apply(changes: readonly SessionChange[]): void {
    const galleries: CanonicalPath[] = [];
    for (const change of changes) {
      if (change.session?.last_edit_ms != null) {
        this.#editShared.set(change.client_id, change.session.last_edit_ms);
      } else {
        this.#editShared.delete(change.client_id);
      }
      galleries.push(...this.#table.set(change.client_id, change.session));
    }
    this.#changed(galleries);
  }

  #reload(sessions: readonly PresenceSession[]): void {
    const stored = new Map(sessions.map((s) => [s.client_id, s]));
    const galleries: CanonicalPath[] = [];
    for (const theirs of sessions) {
      const ours = this.#table.session(theirs.client_id);
      if (ours && ours.last_view_ms > theirs.last_view_ms) continue;
      galleries.push(...this.#table.set(theirs.client_id, theirs));
    }
    const newer: SessionChange[] = [];
    for (const ours of this.#table.sessions()) {
      const theirs = stored.get(ours.client_id);
      if (!theirs || ours.last_view_ms > theirs.last_view_ms) {
        newer.push({ client_id: ours.client_id, session: ours });
      }
    }
    if (newer.length > 0) this.#sharing.publish(newer);
    this.#changed(galleries);
  }
}

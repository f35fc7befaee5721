/**
 * Presence with its clock and timers: prunes every `PRESENCE_PRUNE_INTERVAL_MS`, and publishes
 * the counts of galleries that changed as coalesced `presence` events (at most one per gallery per
 * `PRESENCE_BROADCAST_DELAY_MS`, and only when the counts really differ from the last ones sent).
 * With `sharing` (replicas on one database), sessions are copied to and from the other replicas
 * (presence-sharing.ts), so the counts are everyone's.
 */
import { randomBytes } from 'node:crypto';
import {
  type CanonicalPath,
  isLensletError,
  type PresenceJoinAnswer,
  type PresenceLeaveAnswer,
  type PresenceMoveAnswer,
} from '@lenslet/core';
import {
  DEFAULT_PRESENCE_LIMITS,
  PRESENCE_PRUNE_INTERVAL_MS,
  type PresenceCounts,
  type PresenceLimits,
  PresenceTable,
} from './presence.ts';
import { PresenceReplication, type PresenceSharing } from './presence-sharing.ts';

export const PRESENCE_BROADCAST_DELAY_MS = 50;

export type JoinRequest = {
  readonly gallery_id: CanonicalPath;
  readonly client_id: string;
  readonly lease_id?: string | undefined;
};
export type MoveRequest = {
  readonly from_gallery_id: CanonicalPath;
  readonly to_gallery_id: CanonicalPath;
  readonly client_id: string;
  readonly lease_id: string;
};
export type LeaveRequest = {
  readonly gallery_id: CanonicalPath;
  readonly client_id: string;
  readonly lease_id: string;
};

/** The answers of `POST /presence/join|move|leave` (core's protocol). */
export type JoinAnswer = PresenceJoinAnswer;
export type MoveAnswer = PresenceMoveAnswer;
export type LeaveAnswer = PresenceLeaveAnswer;

export type PresenceTrackerOptions = {
  /** Milliseconds since the epoch (defaults to Date.now). */
  readonly now?: () => number;
  /** Publish one gallery's counts (the SSE `presence` event). */
  readonly publish: (counts: PresenceCounts) => void;
  readonly limits?: PresenceLimits;
  readonly pruneIntervalMs?: number;
  readonly newLease?: () => string;
  /** Other replicas' presence (default: this process only). */
  readonly sharing?: PresenceSharing;
};

const counters = () => ({
  joins_total: 0,
  stale_pruned_total: 0,
  invalid_lease_total: 0,
  scope_mismatch_total: 0,
  rate_limited_total: 0,
  presence_events_total: 0,
});

export class PresenceService {
  readonly #table: PresenceTable;
  readonly #now: () => number;
  readonly #publish: (counts: PresenceCounts) => void;
  readonly #newLease: () => string;
  readonly #pruneIntervalMs: number;
  readonly #published = new Map<CanonicalPath, PresenceCounts>();
  readonly #dirty = new Set<CanonicalPath>();
  readonly #counters = counters();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #pruneTimer: ReturnType<typeof setInterval>;
  readonly #replication: PresenceReplication | null;

  constructor(options: PresenceTrackerOptions) {
    this.#table = new PresenceTable(options.limits ?? DEFAULT_PRESENCE_LIMITS);
    this.#now = options.now ?? Date.now;
    this.#publish = options.publish;
    this.#newLease = options.newLease ?? (() => randomBytes(16).toString('hex'));
    this.#pruneIntervalMs = options.pruneIntervalMs ?? PRESENCE_PRUNE_INTERVAL_MS;
    this.#pruneTimer = setInterval(() => this.prune(), this.#pruneIntervalMs);
    this.#pruneTimer.unref?.();
    this.#replication = options.sharing
      ? new PresenceReplication(options.sharing, this.#table, (galleries) =>
          this.#markDirty(galleries),
        )
      : null;
  }

  join(request: JoinRequest): JoinAnswer {
    const now = this.#now();
    if (
      !this.#table.session(request.client_id) &&
      this.#table.size >= this.#table.limits.max_sessions
    ) {
      this.prune();
    }
    const { session, changed } = this.#count(() => this.#table.join(request, now, this.#newLease));
    this.#counters.joins_total += 1;
    this.#replication?.put(session);
    this.#markDirty(changed);
    return {
      ...this.#table.counts(session.gallery_id, now),
      client_id: session.client_id,
      lease_id: session.lease_id,
    };
  }

  move(request: MoveRequest): MoveAnswer {
    const now = this.#now();
    const { session, changed } = this.#count(() => this.#table.move(request, now));
    this.#replication?.put(session);
    this.#markDirty(changed);
    return {
      client_id: session.client_id,
      lease_id: session.lease_id,
      from_scope: this.#table.counts(request.from_gallery_id, now),
      to_scope: this.#table.counts(request.to_gallery_id, now),
    };
  }

  leave(request: LeaveRequest): LeaveAnswer {
    const now = this.#now();
    const { removed, changed } = this.#count(() => this.#table.leave(request));
    if (removed) this.#replication?.remove(request.client_id);
    this.#markDirty(changed);
    return {
      ...this.#table.counts(request.gallery_id, now),
      client_id: request.client_id,
      lease_id: request.lease_id,
      removed,
    };
  }

  touchEdit(client_id: string): void {
    const now = this.#now();
    const gallery = this.#table.touchEdit(client_id, now);
    if (gallery === null) return;
    this.#markDirty([gallery]);
    const session = this.#table.session(client_id);
    if (session) this.#replication?.edited(session, now);
  }

  /** Prune expired sessions and editing flags now (also runs on a timer). */
  prune(): void {
    const { removed, changed } = this.#table.prune(this.#now());
    this.#counters.stale_pruned_total += removed;
    if (removed > 0) this.#replication?.forget((id) => this.#table.session(id) !== undefined);
    this.#markDirty(changed);
  }

  /** Counts of every gallery with someone in it (what a new stream receives first). */
  snapshot(): PresenceCounts[] {
    const now = this.#now();
    return this.#table
      .galleries()
      .map((g) => this.#table.counts(g, now))
      .filter((c) => c.viewing + c.editing > 0);
  }

  diagnostics(): Readonly<Record<string, unknown>> {
    const scopes = this.snapshot();
    return {
      view_ttl_seconds: this.#table.limits.view_ttl_ms / 1000,
      edit_ttl_seconds: this.#table.limits.edit_ttl_ms / 1000,
      prune_interval_seconds: this.#pruneIntervalMs / 1000,
      max_sessions: this.#table.limits.max_sessions,
      active_clients: this.#table.size,
      active_scopes: scopes.length,
      ...this.#counters,
      scopes,
    };
  }

  close(): void {
    this.#replication?.close();
    clearInterval(this.#pruneTimer);
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
  }

  /** Run a table operation, counting the refusals that diagnostics report. */
  #count<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      if (isLensletError(error)) {
        if (error.code === 'invalid_lease') this.#counters.invalid_lease_total += 1;
        if (error.code === 'scope_mismatch') this.#counters.scope_mismatch_total += 1;
        if (error.code === 'rate_limited') this.#counters.rate_limited_total += 1;
      }
      throw error;
    }
  }

  #markDirty(galleries: readonly CanonicalPath[]): void {
    for (const g of galleries) this.#dirty.add(g);
    if (this.#dirty.size === 0 || this.#flushTimer) return;
    this.#flushTimer = setTimeout(() => this.#flush(), PRESENCE_BROADCAST_DELAY_MS);
    this.#flushTimer.unref?.();
  }

  #flush(): void {
    this.#flushTimer = null;
    const now = this.#now();
    for (const gallery of [...this.#dirty].sort()) {
      const counts = this.#table.counts(gallery, now);
      const last = this.#published.get(gallery);
      const lastViewing = last?.viewing ?? 0;
      const lastEditing = last?.editing ?? 0;
      if (counts.viewing === lastViewing && counts.editing === lastEditing) continue;
      if (counts.viewing + counts.editing === 0) this.#published.delete(gallery);
      else this.#published.set(gallery, counts);
      this.#counters.presence_events_total += 1;
      this.#publish(counts);
    }
    this.#dirty.clear();
  }
}

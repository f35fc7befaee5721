/**
 * Who is looking at which folder, pure: no clock, no timers (time arrives as `now` in ms). The
 * tracker (`presence-tracker.ts`) owns the timers and the broadcasting.
 *
 * Rules:
 * - One session per `client_id` (one browser tab), in exactly one gallery (a canonical folder
 *   path), holding one lease (one page load). Join with the session's lease is a heartbeat; a
 *   wrong lease is `invalid_lease`; a join without a lease replaces the session.
 * - A session views while its last heartbeat is at most `PRESENCE_VIEW_TTL_MS` old, and edits
 *   while its last accepted write is at most `PRESENCE_EDIT_TTL_MS` old. Counts: `editing` = the
 *   sessions editing, `viewing` = the other live sessions. A session past the view TTL is pruned.
 * - Presence never enters the label log.
 */
import { type CanonicalPath, LensletError, type PresenceCounts } from '@lenslet/core';

export type { PresenceCounts };

export const PRESENCE_VIEW_TTL_MS = 75_000;
export const PRESENCE_EDIT_TTL_MS = 30_000;
export const PRESENCE_PRUNE_INTERVAL_MS = 5_000;
/** Most sessions at once; joins beyond it answer 429 so a flood cannot grow memory unbounded. */
export const PRESENCE_MAX_SESSIONS = 10_000;

export type PresenceSession = {
  readonly client_id: string;
  readonly gallery_id: CanonicalPath;
  readonly lease_id: string;
  readonly last_view_ms: number;
  /** Last accepted write, or null. */
  readonly last_edit_ms: number | null;
};

export type PresenceLimits = {
  readonly view_ttl_ms: number;
  readonly edit_ttl_ms: number;
  readonly max_sessions: number;
};

export const DEFAULT_PRESENCE_LIMITS = {
  view_ttl_ms: PRESENCE_VIEW_TTL_MS,
  edit_ttl_ms: PRESENCE_EDIT_TTL_MS,
  max_sessions: PRESENCE_MAX_SESSIONS,
} satisfies PresenceLimits;

/** Still alive (heartbeat within the view TTL)? */
export function isLive(session: PresenceSession, now: number, limits: PresenceLimits): boolean {
  return now - session.last_view_ms <= limits.view_ttl_ms;
}

/** Wrote within the edit TTL (and is still alive)? */
export function isEditing(session: PresenceSession, now: number, limits: PresenceLimits): boolean {
  return (
    isLive(session, now, limits) &&
    session.last_edit_ms !== null &&
    now - session.last_edit_ms <= limits.edit_ttl_ms
  );
}

export type Lease = { readonly client_id: string; readonly lease_id: string };

function invalidLease(gallery_id: CanonicalPath, client_id: string): LensletError {
  return new LensletError(
    'invalid_lease',
    'this lease is not the current one for this client; join again without a lease_id',
    { details: { gallery_id, client_id } },
  );
}

function scopeMismatch(requested: CanonicalPath, actual: CanonicalPath, client_id: string) {
  return new LensletError('scope_mismatch', `this client is in ${actual}, not ${requested}`, {
    details: { requested_gallery_id: requested, actual_gallery_id: actual, client_id },
  });
}

/** The sessions and a per-gallery index. Mutating methods return the galleries whose counts may have changed. */
export class PresenceTable {
  readonly limits: PresenceLimits;
  readonly #sessions = new Map<string, PresenceSession>();
  readonly #byGallery = new Map<CanonicalPath, Set<string>>();

  constructor(limits: PresenceLimits = DEFAULT_PRESENCE_LIMITS) {
    this.limits = limits;
  }

  get size(): number {
    return this.#sessions.size;
  }

  session(client_id: string): PresenceSession | undefined {
    return this.#sessions.get(client_id);
  }

  /** Join or heartbeat. `newLease` is called only when a lease must be issued. */
  join(
    request: { gallery_id: CanonicalPath; client_id: string; lease_id?: string | undefined },
    now: number,
    newLease: () => string,
  ): { session: PresenceSession; changed: CanonicalPath[] } {
    const { gallery_id, client_id } = request;
    const current = this.#sessions.get(client_id);
    if (current && request.lease_id !== undefined && request.lease_id !== current.lease_id) {
      throw invalidLease(gallery_id, client_id);
    }
    if (!current && this.#sessions.size >= this.limits.max_sessions) {
      throw new LensletError(
        'rate_limited',
        `too many presence sessions (limit ${this.limits.max_sessions}); try again later`,
      );
    }
    const keepLease = current !== undefined && request.lease_id === current.lease_id;
    const session: PresenceSession = {
      client_id,
      gallery_id,
      lease_id: keepLease ? current.lease_id : newLease(),
      last_view_ms: now,
      // A heartbeat in the same gallery keeps the editing flag; anything else starts fresh.
      last_edit_ms: keepLease && current.gallery_id === gallery_id ? current.last_edit_ms : null,
    };
    this.#put(session);
    const changed = [gallery_id];
    if (current && current.gallery_id !== gallery_id) changed.push(current.gallery_id);
    return { session, changed };
  }

  /** Move a leased session from one gallery to another. */
  move(
    request: Lease & { from_gallery_id: CanonicalPath; to_gallery_id: CanonicalPath },
    now: number,
  ): { session: PresenceSession; changed: CanonicalPath[] } {
    const { client_id, from_gallery_id, to_gallery_id } = request;
    const current = this.#sessions.get(client_id);
    if (!current || current.lease_id !== request.lease_id) {
      throw invalidLease(from_gallery_id, client_id);
    }
    if (current.gallery_id === to_gallery_id) {
      const session = { ...current, last_view_ms: now };
      this.#put(session);
      return { session, changed: [to_gallery_id] };
    }
    if (current.gallery_id !== from_gallery_id) {
      throw scopeMismatch(from_gallery_id, current.gallery_id, client_id);
    }
    const session: PresenceSession = {
      ...current,
      gallery_id: to_gallery_id,
      last_view_ms: now,
      last_edit_ms: null,
    };
    this.#put(session);
    return { session, changed: [from_gallery_id, to_gallery_id] };
  }

  /** Leave; idempotent (`removed: false` when there is no session). */
  leave(request: Lease & { gallery_id: CanonicalPath }): {
    removed: boolean;
    changed: CanonicalPath[];
  } {
    const current = this.#sessions.get(request.client_id);
    if (!current) return { removed: false, changed: [] };
    if (current.lease_id !== request.lease_id) {
      throw invalidLease(request.gallery_id, request.client_id);
    }
    if (current.gallery_id !== request.gallery_id) {
      throw scopeMismatch(request.gallery_id, current.gallery_id, request.client_id);
    }
    this.#delete(current);
    return { removed: true, changed: [current.gallery_id] };
  }

  /** Mark an accepted write; returns the session's gallery, or null when the client has no live session. */
  touchEdit(client_id: string, now: number): CanonicalPath | null {
    const current = this.#sessions.get(client_id);
    if (!current || !isLive(current, now, this.limits)) return null;
    this.#put({ ...current, last_edit_ms: now });
    return current.gallery_id;
  }

  /** Drop sessions past the view TTL; returns how many and which galleries they left. */
  prune(now: number): { removed: number; changed: CanonicalPath[] } {
    const changed = new Set<CanonicalPath>();
    let removed = 0;
    for (const session of this.#sessions.values()) {
      if (isLive(session, now, this.limits)) {
        // Editing flags expire on their own: those galleries' counts change too.
        if (session.last_edit_ms !== null && now - session.last_edit_ms > this.limits.edit_ttl_ms) {
          this.#put({ ...session, last_edit_ms: null });
          changed.add(session.gallery_id);
        }
        continue;
      }
      this.#delete(session);
      changed.add(session.gallery_id);
      removed += 1;
    }
    return { removed, changed: [...changed] };
  }

  /** Counts of one gallery as of `now`. */
  counts(gallery_id: CanonicalPath, now: number): PresenceCounts {
    let viewing = 0;
    let editing = 0;
    for (const client_id of this.#byGallery.get(gallery_id) ?? []) {
      const session = this.#sessions.get(client_id)!;
      if (!isLive(session, now, this.limits)) continue;
      if (isEditing(session, now, this.limits)) editing += 1;
      else viewing += 1;
    }
    return { gallery_id, viewing, editing };
  }

  /** Every session (what this replica shares with the others). */
  sessions(): IterableIterator<PresenceSession> {
    return this.#sessions.values();
  }

  /**
   * Take a session as another replica decided it (null: it is gone); returns the galleries whose
   * counts may have changed.
   */
  set(client_id: string, session: PresenceSession | null): CanonicalPath[] {
    const current = this.#sessions.get(client_id);
    if (session === null) {
      if (!current) return [];
      this.#delete(current);
      return [current.gallery_id];
    }
    this.#put(session);
    return current && current.gallery_id !== session.gallery_id
      ? [current.gallery_id, session.gallery_id]
      : [session.gallery_id];
  }

  /** Galleries with at least one session, sorted. */
  galleries(): CanonicalPath[] {
    return [...this.#byGallery.keys()].sort();
  }

  #put(session: PresenceSession): void {
    const previous = this.#sessions.get(session.client_id);
    if (previous && previous.gallery_id !== session.gallery_id) this.#unindex(previous);
    this.#sessions.set(session.client_id, session);
    let members = this.#byGallery.get(session.gallery_id);
    if (!members) {
      members = new Set();
      this.#byGallery.set(session.gallery_id, members);
    }
    members.add(session.client_id);
  }

  #delete(session: PresenceSession): void {
    this.#sessions.delete(session.client_id);
    this.#unindex(session);
  }

  #unindex(session: PresenceSession): void {
    const members = this.#byGallery.get(session.gallery_id);
    members?.delete(session.client_id);
    if (members?.size === 0) this.#byGallery.delete(session.gallery_id);
  }
}

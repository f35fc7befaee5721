/**
 * Where a live stream starts, pure. A client names the last record it has (`Last-Event-ID`, which
 * wins, or `?last_event_id=`, e.g. a listing's `seq`) and the log it came from (`?log_id=`). The
 * server either replays everything after it, or answers `resync-required` so the client refetches
 * instead of silently missing updates:
 *
 * - `log_replaced`: the client's log_id is not this workspace's log (another workspace, a restored
 *   backup, a deleted `.lenslet/`);
 * - `ahead_of_head`: it claims a record this log does not have yet — only when it names its log:
 *   a point ahead of the head without `log_id` is the original Lenslet's client (its ids counted
 *   every frame, and it resumes from them forever without knowing `resync-required`), which gets
 *   what the original gave it: the stream from now on;
 * - `history_unavailable`: the records after it are no longer kept (history was dropped);
 * - `too_far_behind`: more than `MAX_REPLAY_RECORDS` records to send; a refetch is cheaper.
 *
 * A log imported from the original starts after its `origin` (past the original's event ids,
 * over the empty state): a point at or before it has every record still to come, from the first.
 */
import { LensletError, type ResyncReason } from '@lenslet/core';

/** Largest gap a reconnecting client is replayed; beyond it the client refetches. */
export const MAX_REPLAY_RECORDS = 50_000;

export type ResumeRequest = {
  /** Last record the client has, or null for "start live now". */
  readonly last_event_id: number | null;
  /** The log the client's state came from, or null when unknown. */
  readonly log_id: string | null;
};

export type LogPosition = {
  readonly log_id: string;
  /** Durable head. */
  readonly head: number;
  /** Oldest seq the store can still replay (1 when the whole history is kept). */
  readonly oldest_seq: number;
  /** The seq the log starts after over the empty state (0 unless imported; absent means 0). */
  readonly origin?: number;
};

export type ResumeDecision =
  | { readonly kind: 'live' }
  | { readonly kind: 'replay'; readonly after: number }
  | { readonly kind: 'resync'; readonly reason: ResyncReason };

/** Decide how a stream starts for `request` against the log at `position`. */
export function decideResume(
  request: ResumeRequest,
  position: LogPosition,
  maxReplay = MAX_REPLAY_RECORDS,
): ResumeDecision {
  if (request.log_id !== null && request.log_id !== position.log_id) {
    return { kind: 'resync', reason: 'log_replaced' };
  }
  if (request.last_event_id === null) return { kind: 'live' };
  if (request.last_event_id > position.head) {
    return request.log_id === null ? { kind: 'live' } : { kind: 'resync', reason: 'ahead_of_head' };
  }
  const last = Math.max(request.last_event_id, position.origin ?? 0);
  if (last < position.oldest_seq - 1) return { kind: 'resync', reason: 'history_unavailable' };
  if (position.head - last > maxReplay) return { kind: 'resync', reason: 'too_far_behind' };
  return last === position.head ? { kind: 'live' } : { kind: 'replay', after: last };
}

const SEQ_PATTERN = /^\d{1,15}$/;
const LOG_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

function toSeq(raw: string, name: string): number {
  const trimmed = raw.trim();
  if (!SEQ_PATTERN.test(trimmed)) {
    throw new LensletError('invalid_request', `${name} must be a record seq (a whole number ≥ 0)`);
  }
  return Number(trimmed);
}

/**
 * Read the resume point from the `Last-Event-ID` header and the `last_event_id` / `log_id` query
 * parameters; the header wins over the query (a browser's automatic reconnect sends it).
 */
export function parseResumeRequest(input: {
  readonly header?: string | undefined;
  readonly last_event_id?: string | undefined;
  readonly log_id?: string | undefined;
}): ResumeRequest {
  let last: number | null = null;
  if (input.last_event_id !== undefined && input.last_event_id !== '') {
    last = toSeq(input.last_event_id, 'last_event_id');
  }
  if (input.header !== undefined && input.header.trim() !== '') {
    last = toSeq(input.header, 'Last-Event-ID');
  }
  let logId: string | null = null;
  if (input.log_id !== undefined && input.log_id !== '') {
    if (!LOG_ID_PATTERN.test(input.log_id)) {
      throw new LensletError('invalid_request', 'log_id must be 1–128 printable ASCII characters');
    }
    logId = input.log_id;
  }
  return { last_event_id: last, log_id: logId };
}

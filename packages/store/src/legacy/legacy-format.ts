/**
 * Reading a workspace written by the original (Python) Lenslet — pure parsing, no disk. Its
 * `labels.snapshot.json` is `{"version":1|2,"last_event_id":N,"items":{path:{tags,notes,star,
 * version,updated_at,updated_by,[metrics]}},["mutations":{…}]}` and each `labels.log.jsonl` line
 * is the full state of one item after an update: `{"id":N,"type":"item-updated"|"metrics-updated",
 * "path":…,"version":…,"tags":…,"notes":…,"star":…,"updated_at":…,"updated_by":…,[…]}`.
 * Replay rule of the original: an entry applies only when its version is greater than the item's
 * (which starts at 1); only the fields present overwrite. Event ids come from one counter the
 * original shared with its presence and persistence frames, so they increase with gaps; on start
 * it continued from the largest id its files hold. Its stored answers to PATCH requests (by
 * Idempotency-Key) are the snapshot's `mutations` and each line's `mutation_id` +
 * `mutation_result` `{status, payload}`.
 */
import { toCanonicalPath } from '@lenslet/core';

export type LegacyItem = {
  tags: string[];
  notes: string;
  star: number | null;
  metrics: Record<string, number>;
  version: number;
  updated_at: string;
  updated_by: string;
  /**
   * Id of the event that gave the item this state (an upper bound: the snapshot's
   * `last_event_id` when only the snapshot has it; 0 for an item no event ever changed).
   */
  event_id: number;
};

/** A stored answer of the original to a PATCH, replayed to a retry with the same key. */
export type LegacyAnswer = { readonly status: number; readonly body: Record<string, unknown> };

export type LegacyState = {
  readonly items: Map<string, LegacyItem>;
  /** Lines or items that could not be used, with why (reported, never fatal). */
  readonly skipped: string[];
  /** The largest event id the files hold: where the original's ids continued on its restart. */
  last_event_id: number;
  /** Its durable answers by Idempotency-Key, oldest first (as its start-up loaded them). */
  readonly answers: Map<string, LegacyAnswer>;
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Is this parsed JSON an original Lenslet snapshot? */
export function isLegacySnapshot(value: unknown): value is Obj {
  return (
    isObj(value) &&
    Number.isInteger(value.version) &&
    Number.isInteger(value.last_event_id) &&
    isObj(value.items) &&
    !('format' in value)
  );
}

/** Is this parsed JSON an original Lenslet log line? */
export function isLegacyLine(value: unknown): value is Obj {
  return (
    isObj(value) &&
    Number.isInteger(value.id) &&
    typeof value.type === 'string' &&
    typeof value.path === 'string' &&
    !('seq' in value)
  );
}

function coerceTags(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  for (const tag of value) {
    if (typeof tag !== 'string') continue;
    const trimmed = tag.trim().normalize('NFC');
    if (trimmed !== '') seen.add(trimmed);
  }
  return [...seen];
}

function coerceStar(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 5
    ? value
    : null;
}

function coerceMetrics(value: unknown): Record<string, number> {
  const metrics: Record<string, number> = {};
  if (!isObj(value)) return metrics;
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'number' && Number.isFinite(v)) metrics[name] = Object.is(v, -0) ? 0 : v;
  }
  return metrics;
}

const EMPTY_ITEM: LegacyItem = {
  tags: [],
  notes: '',
  star: null,
  metrics: {},
  version: 1,
  updated_at: '',
  updated_by: '',
  event_id: 0,
};

/** The original kept at most this many answers (its idempotency cache). */
export const LEGACY_ANSWERS_MAX = 10_000;

/**
 * A stored `{status, payload}` as the original answered it after a restart: only a JSON object
 * payload counts, and one with an `accepted_event` is durable (`persistence: "saved"`, the
 * watermark at that event).
 */
export function toLegacyAnswer(value: unknown): LegacyAnswer | null {
  if (!isObj(value) || !Number.isInteger(value.status) || !isObj(value.payload)) return null;
  const body: Record<string, unknown> = { ...value.payload };
  if (isObj(body.accepted_event)) {
    body.persistence = 'saved';
    body.durable_watermark = { ...body.accepted_event };
  }
  return { status: value.status as number, body };
}

function keepAnswer(state: LegacyState, key: unknown, value: unknown): void {
  const answer = toLegacyAnswer(value);
  if (typeof key !== 'string' || key === '' || answer === null) return;
  state.answers.delete(key);
  state.answers.set(key, answer);
  if (state.answers.size > LEGACY_ANSWERS_MAX) {
    state.answers.delete(state.answers.keys().next().value as string);
  }
}

/** Apply one snapshot item or log line with the original's rule (newer version wins). */
function applyEntry(
  state: LegacyState,
  raw: Obj,
  where: string,
  eventId: number,
  fromSnapshot = false,
): void {
  const path = typeof raw.path === 'string' ? toCanonicalPath(raw.path) : null;
  if (path === null) {
    state.skipped.push(`${where}: the path ${JSON.stringify(raw.path)} is not usable`);
    return;
  }
  const current = state.items.get(path) ?? EMPTY_ITEM;
  let version = raw.version;
  // A snapshot item is the item's state whatever its version (items at version 1 can carry
  // metrics that came with the dataset); log lines follow the newer-version rule.
  if (fromSnapshot && (typeof version !== 'number' || !Number.isInteger(version))) version = 1;
  if (typeof version !== 'number' || !Number.isInteger(version)) return;
  if (!fromSnapshot && version <= current.version) return;
  state.items.set(path, {
    tags: 'tags' in raw ? coerceTags(raw.tags) : current.tags,
    notes: 'notes' in raw ? (typeof raw.notes === 'string' ? raw.notes : '') : current.notes,
    star: 'star' in raw ? coerceStar(raw.star) : current.star,
    metrics: 'metrics' in raw ? coerceMetrics(raw.metrics) : current.metrics,
    version,
    updated_at: typeof raw.updated_at === 'string' ? raw.updated_at : '',
    updated_by: typeof raw.updated_by === 'string' ? raw.updated_by : '',
    event_id: fromSnapshot && version === 1 ? 0 : eventId,
  });
}

/**
 * Fold an original workspace: snapshot items, then log lines with id > last_event_id. A snapshot
 * item's event id is that of the log line it came from when the log still holds it (the original
 * trims its log only past 5 MB), else the snapshot's `last_event_id`.
 */
export function foldLegacy(snapshot: Obj | null, logText: string | null): LegacyState {
  const state: LegacyState = {
    items: new Map(),
    skipped: [],
    last_event_id: 0,
    answers: new Map(),
  };
  let snapshotId = 0;
  if (snapshot) {
    snapshotId = snapshot.last_event_id as number;
    state.last_event_id = Math.max(0, snapshotId);
    // Snapshot items carry their own version; apply each as an entry on an empty item.
    for (const [path, item] of Object.entries(snapshot.items as Obj)) {
      if (isObj(item))
        applyEntry(
          state,
          { ...item, path },
          `snapshot item ${JSON.stringify(path)}`,
          snapshotId,
          true,
        );
    }
    if (isObj(snapshot.mutations)) {
      for (const [key, value] of Object.entries(snapshot.mutations)) keepAnswer(state, key, value);
    }
  }
  /** Ids of the lines the snapshot covers, by path and version (a snapshot item's own event). */
  const covered = new Map<string, number>();
  if (logText) {
    const lines = logText.split('\n');
    // The last element is '' after a final newline, or an unterminated (torn) line: not reported.
    const complete = lines.length - 1;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        if (i < complete) state.skipped.push(`log line ${i + 1} is not JSON`);
        continue;
      }
      // Every id the original read counts toward where its counter continued.
      if (isObj(parsed) && Number.isSafeInteger(parsed.id)) {
        state.last_event_id = Math.max(state.last_event_id, parsed.id as number);
      }
      if (!isLegacyLine(parsed)) {
        state.skipped.push(`log line ${i + 1} is not a label update`);
        continue;
      }
      const id = parsed.id as number;
      if (id <= snapshotId) {
        const path = toCanonicalPath(parsed.path as string);
        if (path !== null) covered.set(`${parsed.version}\u0000${path}`, id);
        continue;
      }
      keepAnswer(state, parsed.mutation_id, parsed.mutation_result);
      if (parsed.type !== 'item-updated' && parsed.type !== 'metrics-updated') continue;
      applyEntry(state, parsed, `log line ${i + 1}`, id);
    }
  }
  for (const [path, item] of state.items) {
    const own =
      item.event_id === snapshotId ? covered.get(`${item.version}\u0000${path}`) : undefined;
    if (own !== undefined) item.event_id = own;
  }
  return state;
}

/** The original's `updated_at` (Python isoformat, any offset) as our UTC form, or null. */
export function toIsoTime(value: string): string | null {
  if (value === '') return null;
  // Python writes microseconds; Date keeps milliseconds.
  const trimmed = value.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

const UTC_FRACTION = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{4,9})(?:Z|\+00:00)$/;

/**
 * A record time for an original timestamp, the same instant at the precision it was written
 * with (trailing zeros past the milliseconds dropped): '2026-07-20T09:00:00.654321+00:00' =>
 * '2026-07-20T09:00:00.654321Z' · '…00.250000+00:00' => '…00.250Z' · other forms as toIsoTime.
 */
export function toRecordTime(value: string): string | null {
  const match = UTC_FRACTION.exec(value);
  if (match && Number.isFinite(Date.parse(`${match[1]}Z`))) {
    const digits = match[2]!.replace(/0+$/, '').padEnd(3, '0');
    return `${match[1]}.${digits}Z`;
  }
  return toIsoTime(value);
}

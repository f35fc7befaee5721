/**
 * What every route module receives: the ports (store, gallery, thumbnailer), the clock, the
 * configuration decided by the composition root, and the shared live parts (SSE hub, presence).
 */
import type { BroadcastEventName, DeepReadonly, LiveEvent } from '@lenslet/core';
import type { GalleryIndex, Thumbnailer } from '@lenslet/gallery';
import type { LabelStore, LegacyAnswer } from '@lenslet/store';
import type { FaultInjector } from '@lenslet/store/testing';
import type { Catalog } from './catalog/catalog.ts';
import type { PresenceCounts, PresenceLimits } from './presence.ts';
import type { PresenceSharing } from './presence-sharing.ts';
import type {
  JoinAnswer,
  JoinRequest,
  LeaveAnswer,
  LeaveRequest,
  MoveAnswer,
  MoveRequest,
} from './presence-tracker.ts';
import type { SseHubOptions, SseSink, StreamOutcome } from './sse-hub.ts';
import type { ResumeRequest } from './sse-resume.ts';
import type { SyncReporter } from './sync-state.ts';
import type { ViewsRepository } from './views-file.ts';

export type ServerConfig = {
  /** Lenslet version shown in /health. */
  readonly version: string;
  /** `--read-only`: every write answers 403 read_only. */
  readonly read_only: boolean;
  /** Labels live in memory only (`--no-write`, or the workspace cannot be written). */
  readonly ephemeral: boolean;
  /** Why labels are ephemeral (shown loudly in /health and the UI), or null. */
  readonly ephemeral_reason: string | null;
  /** Shared secret for non-loopback access (null: loopback only, no token needed). */
  readonly token: string | null;
  /** `--public-url` (behind an https reverse proxy), or null. */
  readonly public_url: string | null;
  /** Extra allowed Host names (this machine's addresses and hostname); loopback names are always allowed. */
  readonly allowed_hosts: readonly string[];
  /** Absolute workspace path (only shown to local-origin requests). */
  readonly workspace: string | null;
  /** Thumbnail edge and quality (part of thumbnail URLs and /health). */
  readonly thumb_size: number;
  readonly thumb_quality: number;
  /** Directory holding the built web client (index.html, app.js, app.css), or null. */
  readonly web_dir: string | null;
};

/** Tuning of the live stream and presence (tests and benchmarks; defaults otherwise). */
export type LiveOptions = {
  readonly sse?: Partial<SseHubOptions>;
  /** A `persistence` frame follows the first write of a burst after this long, then at most one per this interval (default 250 ms). */
  readonly persistence_delay_ms?: number;
  readonly presence?: Partial<PresenceLimits> & { readonly prune_interval_ms?: number };
};

export type ServerDeps = {
  readonly store: LabelStore;
  readonly gallery: GalleryIndex;
  readonly thumbnailer: Thumbnailer;
  /**
   * What queries run over (catalog/catalog.ts): the gallery's images as columns, served tables,
   * or both. Default: the gallery alone (folder mode).
   */
  readonly catalog?: Catalog;
  readonly config: ServerConfig;
  readonly clock?: () => Date;
  /** Tuning of the live stream and presence (tests and benchmarks; defaults otherwise). */
  readonly live?: LiveOptions;
  /**
   * Test hook (soak/fuzz only): the injector wrapping the store's filesystem port. When present,
   * `POST`/`DELETE /admin/faults` switch disk faults on and off (routes/admin.ts). The CLI sets
   * it only under `LENSLET_TEST_FAULTS=1`.
   */
  readonly faults?: FaultInjector;
  /**
   * Read-your-writes when several servers share one label log (a PostgreSQL store): resolves once
   * the store holds every write acknowledged anywhere before the call. The read stage
   * (read-stage.ts) awaits it before every answer that reflects labels. Absent when this process
   * is the log's only writer (JSONL, memory): then nothing waits and the stage is not mounted.
   */
  readonly sync?: () => Promise<unknown>;
  /** Where the saved views live (default: views.json in the workspace, or memory). */
  readonly views?: ViewsRepository;
  /** Presence shared with other replicas (default: this process only). */
  readonly presence_sharing?: PresenceSharing;
  /**
   * The original Lenslet's stored answers by Idempotency-Key, from a workspace imported from it
   * (store `readLegacyAnswers`): a `PATCH /item` retried with one of its keys gets that answer
   * again, as the original gave it, and changes nothing. Default: none.
   */
  readonly legacy_answers?: ReadonlyMap<string, LegacyAnswer>;
};

/** Defaults for tests and simple embeddings; the CLI always passes every field. */
export const DEFAULT_CONFIG = {
  version: '0.0.0',
  read_only: false,
  ephemeral: false,
  ephemeral_reason: null,
  token: null,
  public_url: null,
  allowed_hosts: [],
  workspace: null,
  thumb_size: 256,
  thumb_quality: 70,
  web_dir: null,
} satisfies ServerConfig;

/** The SSE hub as other modules see it. */
export interface LiveHub {
  /**
   * Send an event that is not in the log (no SSE id, never disturbs replay) to every connected
   * stream, coalesced per client; `data` has the protocol's shape for `event` (core's LIVE_EVENTS).
   */
  broadcast<E extends BroadcastEventName>(event: E, data: DeepReadonly<LiveEvent<E>>): void;
  /** Serve one `GET /events` stream whose headers are sent (hello, replay, presence, live). */
  open(sink: SseSink, resume: ResumeRequest): Promise<StreamOutcome>;
  /** Counters for /health and /presence/diagnostics. */
  stats(): { readonly clients: number; readonly [key: string]: unknown };
  close(): Promise<void>;
}

/** Presence as other modules see it. */
export interface PresenceTracker {
  /** A client wrote (accepted write): mark its session as editing for a while. */
  touchEdit(client_id: string): void;
  join(request: JoinRequest): JoinAnswer;
  move(request: MoveRequest): MoveAnswer;
  leave(request: LeaveRequest): LeaveAnswer;
  /** Counts of every non-empty gallery. */
  snapshot(): PresenceCounts[];
  /** Counters and per-gallery counts for /health and /presence/diagnostics. */
  diagnostics(): Readonly<Record<string, unknown>>;
  close(): void;
}

/** What route modules receive. */
export type RouteContext = {
  readonly deps: ServerDeps;
  readonly catalog: Catalog;
  readonly config: ServerConfig;
  readonly clock: () => Date;
  readonly hub: LiveHub;
  readonly presence: PresenceTracker;
  /** Durability in the original Lenslet's words (boot epoch, watermark). */
  readonly sync: SyncReporter;
};

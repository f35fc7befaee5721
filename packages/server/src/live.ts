/**
 * The live parts of the server, wired together: the SSE hub (fed by the store's durable batches,
 * the store's persistence status, the gallery's folder updates, the catalog's table reloads and,
 * when the views are shared with other replicas, their `views-updated` announcements) and the
 * presence tracker (whose counts the hub broadcasts and sends to every new stream). A
 * `persistence` frame goes out when the store's state changes, and while writes go on at most
 * once per `persistence_delay_ms`, riding with a durable batch where it can (persistence-pacer.ts:
 * the first write after a quiet interval carries one at once; the last write's watermark follows
 * within 1.5 intervals). The original Lenslet sends one after each flush; its client moves its
 * "Saved" watermark on it.
 */
import type { Catalog } from './catalog/catalog.ts';
import type { LiveHub, PresenceTracker, ServerDeps } from './context.ts';
import { PersistencePacer } from './persistence-pacer.ts';
import { DEFAULT_PRESENCE_LIMITS } from './presence.ts';
import { PresenceService } from './presence-tracker.ts';
import { SseHub } from './sse-hub.ts';
import type { SyncReporter } from './sync-state.ts';

const PERSISTENCE_DELAY_MS = 250;

export function createLive(
  deps: ServerDeps,
  catalog: Catalog,
  clock: () => Date,
  sync: SyncReporter,
): { hub: LiveHub; presence: PresenceTracker } {
  const { store, gallery } = deps;
  const limits = deps.live?.presence;
  const presence: PresenceService = new PresenceService({
    now: () => clock().getTime(),
    publish: (counts) => hub.broadcast('presence', counts),
    limits: { ...DEFAULT_PRESENCE_LIMITS, ...limits },
    ...(deps.presence_sharing ? { sharing: deps.presence_sharing } : {}),
    ...(limits?.prune_interval_ms === undefined
      ? {}
      : { pruneIntervalMs: limits.prune_interval_ms }),
  });
  const sseHub = new SseHub(store, () => presence.snapshot(), deps.live?.sse, sync);
  const offFolders = gallery.onFolderUpdate((update) => sseHub.broadcast('folder-updated', update));
  const offTables = catalog.onTableUpdate((update) => sseHub.broadcast('table-updated', update));
  const offStatus = store.onStatus((status) => {
    sync.noteStatus(status);
    sseHub.broadcast('persistence', sync.frame(status));
  });
  const delay = deps.live?.persistence_delay_ms ?? PERSISTENCE_DELAY_MS;
  const pacer = new PersistencePacer(delay, () => sseHub.broadcast('persistence', sync.frame()));
  // Subscribed after the hub: the frame follows the batch's records in the same turn.
  const offRecords = store.subscribe(() => pacer.onBatch());
  // A shared views repository announces every write, other replicas' included.
  const offViews =
    deps.views?.onChange?.((revision) => sseHub.broadcast('views-updated', { revision })) ??
    (() => {});
  const hub: LiveHub = {
    broadcast: (event, data) => sseHub.broadcast(event, data),
    open: (sink, resume) => sseHub.open(sink, resume),
    stats: () => sseHub.stats(),
    close: async () => {
      offFolders();
      offTables();
      offStatus();
      offRecords();
      pacer.close();
      offViews();
      await sseHub.close();
    },
  };
  return { hub, presence };
}

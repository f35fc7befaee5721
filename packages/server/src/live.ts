/**
 * The live parts of the server, wired together: the SSE hub (fed by the store's durable batches,
 * the store's persistence status, the gallery's folder updates and the catalog's table reloads)
 * and the presence tracker (whose counts the hub broadcasts and sends to every new stream).
 */
import type { Catalog } from './catalog/catalog.ts';
import type { LiveHub, PresenceTracker, ServerDeps } from './context.ts';
import { DEFAULT_PRESENCE_LIMITS } from './presence.ts';
import { PresenceService } from './presence-tracker.ts';
import { SseHub } from './sse-hub.ts';

export function createLive(
  deps: ServerDeps,
  catalog: Catalog,
  clock: () => Date,
): { hub: LiveHub; presence: PresenceTracker } {
  const { store, gallery } = deps;
  const limits = deps.live?.presence;
  const presence: PresenceService = new PresenceService({
    now: () => clock().getTime(),
    publish: (counts) => hub.broadcast('presence', counts),
    limits: { ...DEFAULT_PRESENCE_LIMITS, ...limits },
    ...(limits?.prune_interval_ms === undefined
      ? {}
      : { pruneIntervalMs: limits.prune_interval_ms }),
  });
  const sseHub = new SseHub(store, () => presence.snapshot(), deps.live?.sse);
  const offFolders = gallery.onFolderUpdate((update) => sseHub.broadcast('folder-updated', update));
  const offTables = catalog.onTableUpdate((update) => sseHub.broadcast('table-updated', update));
  const offStatus = store.onStatus((status) =>
    sseHub.broadcast('persistence', {
      state: status.state,
      error: status.error,
      since: status.since,
    }),
  );
  const hub: LiveHub = {
    broadcast: (event, data) => sseHub.broadcast(event, data),
    open: (sink, resume) => sseHub.open(sink, resume),
    stats: () => sseHub.stats(),
    close: async () => {
      offFolders();
      offTables();
      offStatus();
      await sseHub.close();
    },
  };
  return { hub, presence };
}

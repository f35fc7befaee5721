/**
 * `GET /health`: what a person or a monitor needs to know about this server — can it write, where
 * do labels go (durability, log head, last fsync), is the log whole (what start-up recovery cut,
 * the background history check), is indexing done, how is the folder watched, who is here, and
 * each served table (its last reload's state and error). Absolute paths (workspace, served
 * folders) only go to requests from this machine. The original Lenslet's client reads its own
 * words here too (core's protocol/health.ts).
 */
import { basename } from 'node:path';
import type { DeepReadonly, HealthAnswer } from '@lenslet/core';
import type { GalleryRoot } from '@lenslet/gallery';
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';
import { allowQuery } from '../query-params.ts';
import { isLocalRequest } from '../security.ts';
import { canRefresh, TABLES_NOTE } from './refresh.ts';
import { tableLaunchSession, tableLaunchStatus } from './table-launch.ts';

export function registerHealth(app: Express, ctx: RouteContext): void {
  const { store, gallery, thumbnailer } = ctx.deps;
  const { config } = ctx;

  app.get('/health', (req, res) => {
    allowQuery(req, []);
    const local = isLocalRequest(req);
    const labels = store.status();
    const status = gallery.status();
    const dataset = gallery.roots.some((root) => root.prefix !== '/');
    const tables = ctx.catalog.tables();
    const tableMode = !dataset && tables.some((t) => t.source.options.check_files);
    res.set('Cache-Control', 'no-store').set('Lenslet-Seq', String(labels.seq));
    res.json({
      ok:
        labels.state !== 'failing' &&
        status.indexing.state !== 'error' &&
        labels.integrity.history.state !== 'damaged',
      version: config.version,
      mode: dataset ? 'dataset' : tableMode ? 'table' : 'folder',
      can_write: !config.read_only,
      read_only: config.read_only,
      ephemeral: config.ephemeral,
      ephemeral_reason: config.ephemeral_reason,
      workspace_id: store.log_id,
      auth: { token_required: config.token !== null, public_url: config.public_url },
      roots: gallery.roots.map((root) =>
        local ? { prefix: root.prefix, dir: root.dir } : { prefix: root.prefix },
      ),
      ...(local ? { workspace: config.workspace } : {}),
      labels: {
        enabled: true,
        log_id: store.log_id,
        durability: labels.durability,
        state: labels.state,
        error: labels.error,
        since: labels.since,
        seq: labels.seq,
        snapshot_seq: labels.snapshot_seq,
        oldest_seq: labels.oldest_seq,
        log_bytes: labels.log_bytes,
        last_fsync_ms: labels.last_fsync_ms,
        labeled_items: store.items().size,
        persistence: ctx.sync.state(labels),
        integrity: labels.integrity,
      },
      presence: ctx.presence.diagnostics(),
      live: ctx.hub.stats(),
      indexing: {
        state: status.indexing.state === 'scanning' ? 'running' : status.indexing.state,
        items: status.indexing.items,
        done: status.indexing.items,
        total: status.indexing.state === 'scanning' ? null : status.indexing.items,
        skipped: status.indexing.skipped,
        error: status.indexing.error,
      },
      watch: status.watch,
      ...(tables.length > 0
        ? {
            tables: tables.map(({ source }) => ({
              ...source.status(),
              ...(local ? { file: source.options.file } : {}),
            })),
          }
        : {}),
      thumbnails: {
        size: config.thumb_size,
        quality: config.thumb_quality,
        ...thumbnailer.stats(),
      },
      refresh: canRefresh(ctx)
        ? { enabled: true }
        : tables.length > 0
          ? { enabled: false, note: TABLES_NOTE }
          : { enabled: false },
      launch_session:
        tableMode && tables[0]
          ? tableLaunchSession(tables[0].source.options.file, labelsLabel(config))
          : launchSession(gallery.roots, config),
      ...(tableMode && tables[0]
        ? {
            table_launch_status: tableLaunchStatus(
              tables[0].source.status(),
              tables[0].source.options.root,
              local,
            ),
          }
        : {}),
    } satisfies DeepReadonly<HealthAnswer>);
  });
}

/** Where labels go, as the window's detail line says it. */
function labelsLabel(config: RouteContext['config']): string {
  return config.read_only ? 'read-only' : config.ephemeral ? 'labels in memory' : 'workspace';
}

/** What the original's client titles its window with: the served folder's name. */
function launchSession(
  roots: readonly GalleryRoot[],
  config: RouteContext['config'],
): HealthAnswer['launch_session'] {
  const name = roots.length === 1 ? basename(roots[0]!.dir) : `${roots.length} folders`;
  const labels = labelsLabel(config);
  return {
    kind: 'local_folder',
    loaded_from_label: 'Local folder',
    target_label: `.../${name}`,
    title_label: name,
    detail_label: `Filesystem dataset · ${labels}`,
  };
}

/**
 * `GET /health`: what a person or a monitor needs to know about this server — can it write, where
 * do labels go (durability, log head, last fsync), is indexing done, how is the folder watched,
 * who is here, and each served table (its last reload's state and error). Absolute paths (workspace, served folders) only go to requests from this machine.
 */
import type { DeepReadonly, HealthAnswer } from '@lenslet/core';
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';
import { allowQuery } from '../query-params.ts';
import { isLocalRequest } from '../security.ts';

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
      ok: labels.state !== 'failing' && status.indexing.state !== 'error',
      version: config.version,
      mode: dataset ? 'dataset' : tableMode ? 'table' : 'folder',
      can_write: !config.read_only,
      read_only: config.read_only,
      ephemeral: config.ephemeral,
      ephemeral_reason: config.ephemeral_reason,
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
      },
      presence: ctx.presence.diagnostics(),
      live: ctx.hub.stats(),
      indexing: {
        state: status.indexing.state,
        items: status.indexing.items,
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
    } satisfies DeepReadonly<HealthAnswer>);
  });
}

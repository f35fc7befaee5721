/**
 * createApp: the express application. Order: the stages (stages.ts: security — Host, token,
 * Origin, read-only) → route modules (each reads its body with body.ts and its declared limit;
 * the label writes are declared once in routes/labels.ts `LABEL_WRITES`) → 404 → the one error
 * handler. Routes have no try/catch: express 5 forwards rejected promises to the error handler.
 * app-order.test.ts pins this order.
 *
 * `handler` is what an HTTP server should run: the fast lane (fast-lane.ts), derived from the same
 * stages and route declarations, ahead of the express app, which gets every other request.
 */
import type { RequestListener } from 'node:http';
import express from 'express';
import { createCatalog } from './catalog/catalog.ts';
import { createGalleryPart } from './catalog/gallery-part.ts';
import {
  DEFAULT_CONFIG,
  type RouteContext,
  type ServerConfig,
  type ServerDeps,
} from './context.ts';
import { errorHandler, notFound } from './errors.ts';
import { withFastLane } from './fast-lane.ts';
import { createLive } from './live.ts';
import { registerAdmin } from './routes/admin.ts';
import { registerBrowse } from './routes/browse.ts';
import { registerCompareExport } from './routes/compare-export.ts';
import { registerEvents } from './routes/events.ts';
import { registerHealth } from './routes/health.ts';
import { registerLabels } from './routes/labels.ts';
import { registerMedia } from './routes/media.ts';
import { registerMetadata } from './routes/metadata.ts';
import { registerPresence } from './routes/presence.ts';
import { registerQuery } from './routes/query.ts';
import { registerRefresh } from './routes/refresh.ts';
import { registerSearch } from './routes/search.ts';
import { registerSync } from './routes/sync.ts';
import { registerUnavailable } from './routes/unavailable.ts';
import { registerViews } from './routes/views.ts';
import { registerWeb } from './routes/web.ts';
import { appStages } from './stages.ts';
import { SyncReporter } from './sync-state.ts';

export type LensletApp = {
  readonly app: express.Express;
  /** The request listener for `http.createServer`: the fast lane, then `app`. */
  readonly handler: RequestListener;
  readonly config: ServerConfig;
  readonly context: RouteContext;
  /** Stop live parts (SSE streams, presence timers); the HTTP server is closed by the caller. */
  close(): Promise<void>;
};

export function createApp(deps: ServerDeps): LensletApp {
  const config = { ...DEFAULT_CONFIG, ...deps.config } satisfies ServerConfig;
  const clock = deps.clock ?? (() => new Date());
  const catalog = deps.catalog ?? createCatalog([createGalleryPart(deps.gallery)]);
  const sync = new SyncReporter(deps.store);
  const { hub, presence } = createLive(deps, catalog, clock, sync);
  const context: RouteContext = { deps, catalog, config, clock, hub, presence, sync };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  registerAdmin(app, context); // local-only, checks its own admin token (routes/admin.ts)
  for (const stage of appStages(context)) app.use(stage.express);
  registerHealth(app, context);
  registerSync(app, context);
  registerBrowse(app, context);
  registerQuery(app, context);
  registerSearch(app, context);
  registerMedia(app, context);
  registerMetadata(app, context);
  registerViews(app, context);
  registerLabels(app, context);
  registerEvents(app, context);
  registerPresence(app, context);
  registerRefresh(app, context);
  registerUnavailable(app, context);
  registerCompareExport(app, context);
  registerWeb(app, context);
  app.use(notFound);
  app.use(errorHandler());
  return {
    app,
    handler: withFastLane(context, app),
    config,
    context,
    close: async () => {
      presence.close();
      await hub.close();
    },
  };
}

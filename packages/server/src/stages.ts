/**
 * The app-wide middleware that runs ahead of the routes, declared once in both forms: the express
 * middleware createApp mounts with `app.use`, and the same rule as a plain step the fast lane
 * runs before a lane route (fast-lane.ts). A middleware mounted any other way is one the lane
 * would skip: app-order.test.ts fails on it.
 *
 * The stages: `security` (security.ts): Host, token, Origin and read-only checks — its hardening
 * headers need no lane step: the lane's answer writer adds them (answer.ts); and, only when the
 * label log is shared with other replicas (`deps.sync`), `read` (read-sync.ts): answers that
 * reflect labels wait until this replica holds every write acknowledged anywhere. The lane serves
 * only writes, which catch up under the log's lock, so `read` lets every lane request through.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { RouteContext } from './context.ts';
import { catchUp, reflectsLabels } from './read-sync.ts';
import { accessPolicy, security, sendRefusal } from './security.ts';

/** What a stage decided for a lane request: go on, it answered, or leave it to express. */
export type LaneStep = 'next' | 'answered' | 'express';

export type Stage = {
  readonly name: string;
  readonly express: RequestHandler;
  /** The same rule for a lane request to the route at `path`. */
  readonly lane: (req: IncomingMessage, res: ServerResponse, path: string) => LaneStep;
};

const declared = new WeakMap<RequestHandler, string>();

/** The name of the stage an express middleware belongs to (for the middleware-order test). */
export function stageOf(handler: unknown): string | undefined {
  return declared.get(handler as RequestHandler);
}

function stage(name: string, express: RequestHandler, lane: Stage['lane']): Stage {
  declared.set(express, name);
  return { name, express, lane };
}

function securityStage(ctx: RouteContext): Stage {
  const policy = accessPolicy(ctx.config);
  return stage('security', security(ctx), (req, res, path) => {
    const decision = policy(req, path);
    switch (decision.kind) {
      case 'allow':
        return 'next';
      case 'refuse':
        sendRefusal(res, decision.error);
        return 'answered';
      case 'token_link':
        // A `?token=` link (GET only): never a lane route, but express knows the answer.
        return 'express';
    }
  });
}

function readStage(sync: () => Promise<unknown>): Stage {
  const express: RequestHandler = (req, _res, next) => {
    if (!reflectsLabels(req.method, req.path)) return next();
    void catchUp(sync).then(() => next());
  };
  return stage('read', express, () => 'next');
}

/** The stages in the order they run. */
export function appStages(ctx: RouteContext): readonly Stage[] {
  const { sync } = ctx.deps;
  return sync ? [securityStage(ctx), readStage(sync)] : [securityStage(ctx)];
}

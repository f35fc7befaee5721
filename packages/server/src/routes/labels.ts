/** Routes: labels — being built. */
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';

export function registerLabels(_app: Express, _ctx: RouteContext): void {}

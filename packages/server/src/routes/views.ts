/** Routes: views — being built. */
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';

export function registerViews(_app: Express, _ctx: RouteContext): void {}

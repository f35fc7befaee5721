/** Routes: media — being built. */
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';

export function registerMedia(_app: Express, _ctx: RouteContext): void {}

/** Routes: health — being built. */
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';

export function registerHealth(_app: Express, _ctx: RouteContext): void {}

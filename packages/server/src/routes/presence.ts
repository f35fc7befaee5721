/** Routes: presence — being built. */
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';

export function registerPresence(_app: Express, _ctx: RouteContext): void {}

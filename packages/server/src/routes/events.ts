/** Routes: events — being built. */
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';

export function registerEvents(_app: Express, _ctx: RouteContext): void {}

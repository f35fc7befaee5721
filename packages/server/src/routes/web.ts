/** Routes: web — being built. */
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';

export function registerWeb(_app: Express, _ctx: RouteContext): void {}

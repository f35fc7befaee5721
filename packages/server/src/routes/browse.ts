/** Routes: browse — being built. */
import type { Express } from 'express';
import type { RouteContext } from '../context.ts';

export function registerBrowse(_app: Express, _ctx: RouteContext): void {}

/** Host, token and Origin checks — being built. */
import type { RequestHandler } from 'express';
import type { RouteContext } from './context.ts';

export function security(_ctx: RouteContext): RequestHandler[] {
  return [];
}

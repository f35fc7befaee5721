/**
 * The harness of the fast-lane parity tests (fast-lane.test.ts): two servers built alike on
 * identical stores — one through the fast lane (with a fallback that counts what it hands to
 * express), one through express alone — and `same`, which sends a request to both and requires
 * the same status, headers (but Date) and bytes.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LabelStore, openMemoryStore } from '@lenslet/store';
import { expect } from 'vitest';
import { createApp, type LensletApp } from './app.ts';
import { DEFAULT_CONFIG, type ServerConfig } from './context.ts';
import { withFastLane } from './fast-lane.ts';
import { delegateStore, FakeGallery, type Json, noThumbnails } from './live-test-kit.ts';
import { type RawResponse, raw } from './test-server.ts';

const FIXED = new Date('2026-05-01T12:00:00.000Z');

export type Side = {
  readonly lenslet: LensletApp;
  readonly store: LabelStore;
  readonly server: Server;
  readonly url: string;
  readonly host: string;
};
export type Pair = { readonly fast: Side; readonly express: Side; fallbacks(): number };

const open: Side[] = [];
/** Close every server opened since the last call (the tests' `afterEach`). */
export async function closeSides(): Promise<void> {
  for (const side of open.splice(0)) {
    await side.lenslet.close();
    side.server.closeAllConnections();
    await new Promise<void>((resolve) => side.server.close(() => resolve()));
  }
}

async function side(config: Partial<ServerConfig>, listener: (l: LensletApp) => RequestListener) {
  // Both sides name the same log: answers carry it (the boot epoch of sync-state.ts).
  const store = delegateStore(openMemoryStore({ clock: () => FIXED }), {});
  Object.defineProperty(store, 'log_id', { value: 'fast-lane-parity-log' });
  const lenslet = createApp({
    store,
    gallery: new FakeGallery(['/a.jpg', '/b.jpg']),
    thumbnailer: noThumbnails,
    config: { ...DEFAULT_CONFIG, ...config },
    clock: () => FIXED,
  });
  const server = createServer(listener(lenslet)).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const opened: Side = {
    lenslet,
    store,
    server,
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
  };
  open.push(opened);
  return opened;
}

export async function pair(config: Partial<ServerConfig> = {}): Promise<Pair> {
  let fallbacks = 0;
  const fast = await side(config, (l) =>
    withFastLane(l.context, (req, res) => {
      fallbacks += 1;
      l.app(req, res);
    }),
  );
  const express = await side(config, (l) => l.app);
  return { fast, express, fallbacks: () => fallbacks };
}

export type Send = {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
};
/** A request, given the side it goes to (its own Host / Origin differ by port). */
export type Build = (side: Side) => Send;

export const json = { 'Content-Type': 'application/json' };
let keys = 0;
export function key(): string {
  keys += 1;
  return `fast-lane-key-${String(keys).padStart(4, '0')}`;
}
/** A JSON answer, read loosely. */
export const js = (res: RawResponse): Json => res.json();

/** A new browser session is random on each side: compare that one is set, and how. */
const sessionValue = (cookie: unknown) =>
  String(cookie).replace(/^lenslet_session=[0-9a-f]{32};/, 'lenslet_session=<new session>;');

function comparable(res: RawResponse) {
  const { date: _date, 'set-cookie': cookies, ...headers } = res.headers;
  const setCookie =
    cookies === undefined ? {} : { 'set-cookie': [cookies].flat().map(sessionValue) };
  return { status: res.status, headers: { ...headers, ...setCookie }, body: res.text };
}

/**
 * Send the same request to both sides; expect identical answers, and that the fast side served
 * it itself (`lane: 'fast'`) or handed it to express (`lane: 'express'`). Returns the answer.
 */
export async function same(p: Pair, build: Build, lane: 'fast' | 'express'): Promise<RawResponse> {
  const before = p.fallbacks();
  const send = (s: Side) => {
    const { method = 'PATCH', path, headers, body } = build(s);
    return raw(`${s.url}${path}`, { method, headers, body });
  };
  const fast = await send(p.fast);
  const express = await send(p.express);
  expect(comparable(fast)).toEqual(comparable(express));
  expect(p.fallbacks() - before, `${lane} lane`).toBe(lane === 'fast' ? 0 : 1);
  return fast;
}

/** A PATCH /item of `body` (JSON) with a fresh key unless `headers` say otherwise. */
export function patch(body: unknown, headers: Record<string, string> = {}, path = '/a.jpg'): Build {
  const k = key();
  return () => ({
    path: `/item?path=${encodeURIComponent(path)}`,
    headers: { ...json, 'Idempotency-Key': k, ...headers },
    body: JSON.stringify(body),
  });
}

/** `build` with some fields replaced (computed once, so both sides get the same request). */
export function edit(build: Build, change: (send: Send, side: Side) => Partial<Send>): Build {
  return (side) => {
    const base = build(side);
    return { ...base, ...change(base, side) };
  };
}

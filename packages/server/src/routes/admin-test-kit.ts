/**
 * The admin route tests' scope: a temp workspace with a JSONL store and a listening server per
 * test, all closed and removed after it; `adminCall` sends a JSON request through `raw` (any
 * header may be set) and parses the answer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JsonlStore, openJsonlStore } from '@lenslet/store';
import { afterEach } from 'vitest';
import type { LensletApp } from '../app.ts';
import { type Listening, listen, raw } from '../test-server.ts';

export function workspaceServerPerTest(prefix: string) {
  let root: string | null = null;
  let store: JsonlStore | null = null;
  let server: Listening | null = null;
  afterEach(async () => {
    await server?.close();
    await store?.close();
    if (root) await rm(root, { recursive: true, force: true });
    root = server = store = null;
  });
  return {
    /** A new workspace folder and the JSONL store opened on it. */
    async open(options: Omit<NonNullable<Parameters<typeof openJsonlStore>[1]>, 'onWarning'> = {}) {
      root = await mkdtemp(join(tmpdir(), prefix));
      const workspace = join(root, '.lenslet');
      store = await openJsonlStore(workspace, { onWarning: () => {}, ...options });
      return { workspace, store };
    },
    /** `app` on a free loopback port; its lock names the URL and `adminToken`. */
    async serve(app: LensletApp, adminToken: string) {
      server = await listen(app);
      await store?.setLockInfo({ url: server.url, admin_token: adminToken });
      return server.url;
    },
  };
}

/** `method path` with `headers` and a JSON `body`; the status and the parsed answer. */
export async function adminCall(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const res = await raw(`${url}${path}`, {
    method,
    headers: text === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(text === undefined ? {} : { body: text }),
  });
  return { status: res.status, body: res.json() as Record<string, unknown> };
}

/**
 * What the original's client and scripts rely on beyond single recorded pairs (issue 11, "its
 * API"): the loopback names of one machine are one origin, and a folder listing without a limit
 * is the whole scope (the original's "Export metadata" asks for `/folders?recursive=1` and writes
 * what it gets). `test.fails` marks what Lenslet does not do yet (docs/compat-gaps.md); when one
 * starts passing, make it a plain `test`.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from '@lenslet/test-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { send } from './http.ts';
import { ORIGINAL_API } from './recordings.ts';
import { startTarget, type TargetServer } from './servers.ts';

/** More images than any default page (Lenslet's /folders limit is 1,000). */
const EXTRA = 1_005;

describe('loopback origins and whole-scope listings', () => {
  let server: TargetServer;

  beforeAll(async () => {
    await ensureBuilt();
    server = await startTarget('folder', (served) => {
      const png = join(ORIGINAL_API, 'table/images/batch_a/img_0000.png');
      mkdirSync(join(served, 'many'));
      for (let i = 0; i < EXTRA; i++) {
        copyFileSync(png, join(served, 'many', `copy_${String(i).padStart(4, '0')}.png`));
      }
    });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  const patch = (host: string, origin: string, key: string) =>
    send(
      server.port,
      'PATCH',
      '/item?path=%2Fbatch_a%2Fimg_0000.png',
      {
        Host: `${host}:${server.port}`,
        Origin: `${origin}:${server.port}`,
        'Idempotency-Key': key,
      },
      { set_star: 2, base_version: 1 },
    );

  test('a write from the page it was sent to is accepted', async () => {
    const same = await patch('127.0.0.1', 'http://127.0.0.1', 'loopback-same-0001');
    expect(same.status).toBe(200);
  });

  test.fails('localhost, 127.0.0.1 and [::1] count as one origin on a loopback server', async () => {
    for (const [host, origin, key] of [
      ['localhost', 'http://127.0.0.1', 'loopback-alias-0001'],
      ['127.0.0.1', 'http://localhost', 'loopback-alias-0002'],
      ['127.0.0.1', 'http://[::1]', 'loopback-alias-0003'],
    ] as const) {
      const answer = await patch(host, origin, key);
      expect(answer.status, `${origin} writing to ${host}: ${answer.text}`).not.toBe(403);
    }
  });

  test.fails('GET /folders?recursive=1 without a limit returns the whole scope', async () => {
    const all = await send(server.port, 'GET', '/folders?path=%2F&recursive=1', {});
    const body = all.json as { items: unknown[]; total_items: number };
    expect(body.items.length).toBe(300 + EXTRA);
  });

  test.fails('GET /folders without a limit lists every direct item', async () => {
    const direct = await send(server.port, 'GET', '/folders?path=%2Fmany', {});
    expect((direct.json as { items: unknown[] }).items.length).toBe(EXTRA);
  });
});

import { afterEach, describe, expect, test } from 'vitest';
import { createFakeGallery } from './fake-gallery.ts';
import { type Listening, listen, raw, testApp } from './test-server.ts';
import { tokenCookieName } from './tokens.ts';

const TOKEN = 'test-token-0123456789abcdef';
let server: Listening | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(config: Parameters<typeof testApp>[0]['config'] = {}) {
  const app = testApp({ gallery: createFakeGallery([{ path: '/a.jpg' }]), config });
  server = await listen(app);
  return server;
}

const queryBody = JSON.stringify({ path: '/' });
const json = { 'Content-Type': 'application/json' };

describe('Host allowlist (DNS rebinding)', () => {
  test('loopback names are accepted, any other host name is refused', async () => {
    const s = await start();
    for (const host of [
      'localhost',
      `localhost:${s.port}`,
      `127.0.0.1:${s.port}`,
      `[::1]:${s.port}`,
      'LOCALHOST.',
    ]) {
      expect((await raw(`${s.url}/health`, { headers: { Host: host } })).status, host).toBe(200);
    }
    const evil = await raw(`${s.url}/health`, { headers: { Host: `evil.example:${s.port}` } });
    expect(evil.status).toBe(403);
    expect(evil.json()).toMatchObject({ error: 'host_not_allowed' });
    expect((await raw(`${s.url}/health`, { headers: { Host: '127.0.0.2' } })).status).toBe(403);
  });

  test('configured machine names and the public URL host are accepted', async () => {
    const s = await start({
      allowed_hosts: ['gpu-box', '192.168.1.20', 'FE80::1'],
      public_url: 'https://gallery.example.org',
    });
    for (const host of ['gpu-box:7070', '192.168.1.20', '[fe80::1]:7070', 'gallery.example.org']) {
      expect((await raw(`${s.url}/health`, { headers: { Host: host } })).status, host).toBe(200);
    }
    expect(
      (await raw(`${s.url}/health`, { headers: { Host: 'gpu-box.evil.example' } })).status,
    ).toBe(403);
  });
});

describe('token', () => {
  test('API calls without the token get 401 JSON; with a Bearer token they pass', async () => {
    const s = await start({ token: TOKEN });
    const missing = await raw(`${s.url}/folders`);
    expect(missing.status).toBe(401);
    expect(missing.json()).toMatchObject({ error: 'unauthorized' });
    expect(missing.headers['www-authenticate']).toContain('Bearer');
    expect(
      (
        await raw(`${s.url}/folders`, {
          headers: { Authorization: 'Bearer wrong-token-0123456789' },
        })
      ).status,
    ).toBe(401);
    expect(
      (await raw(`${s.url}/folders`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
  });

  test('a browser without the token gets a page explaining how to get the link', async () => {
    const s = await start({ token: TOKEN });
    const page = await raw(`${s.url}/`, {
      headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('printed in their terminal');
    expect(page.text).not.toContain(TOKEN);
  });

  test('a ?token= link sets an HttpOnly SameSite=Lax cookie and redirects without the token', async () => {
    const s = await start({ token: TOKEN });
    const opened = await raw(`${s.url}/folders?path=/&token=${TOKEN}&limit=5`, {
      headers: { Accept: 'text/html' },
    });
    expect(opened.status).toBe(302);
    expect(opened.headers.location).toBe('/folders?path=%2F&limit=5');
    const cookie = String(opened.headers['set-cookie']);
    expect(cookie).toContain(`${tokenCookieName(TOKEN)}=${TOKEN}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const pair = cookie.split(';')[0]!;
    const followed = await raw(`${s.url}${opened.headers.location}`, {
      headers: { Cookie: `other=1; ${pair}` },
    });
    expect(followed.status).toBe(200);
    expect((followed.json() as { limit: number }).limit).toBe(5);
  });

  test('a wrong ?token= is refused with the explanation page, and sets nothing', async () => {
    const s = await start({ token: TOKEN });
    const res = await raw(`${s.url}/?token=nope`, { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toContain('does not accept');
  });

  test('a wrong cookie value is refused; the token also applies to loopback', async () => {
    const s = await start({ token: TOKEN });
    const res = await raw(`${s.url}/health`, {
      headers: { Cookie: `${tokenCookieName(TOKEN)}=not-it` },
    });
    expect(res.status).toBe(401);
  });

  test('the cookie is Secure when served through an https public URL', async () => {
    const s = await start({ token: TOKEN, public_url: 'https://gallery.example.org' });
    const res = await raw(`${s.url}/?token=${TOKEN}`, { headers: { Host: 'gallery.example.org' } });
    expect(String(res.headers['set-cookie'])).toMatch(/Secure/);
  });
});

describe('Origin rules for writes', () => {
  test('a write from the served origin or the public URL passes; another origin is refused', async () => {
    const s = await start({ public_url: 'https://gallery.example.org' });
    const ok = await raw(`${s.url}/folders/query`, {
      method: 'POST',
      headers: { ...json, Origin: s.url },
      body: queryBody,
    });
    expect(ok.status).toBe(200);
    const viaProxy = await raw(`${s.url}/folders/query`, {
      method: 'POST',
      headers: { ...json, Host: 'gallery.example.org', Origin: 'https://gallery.example.org' },
      body: queryBody,
    });
    expect(viaProxy.status).toBe(200);
    const evil = await raw(`${s.url}/folders/query`, {
      method: 'POST',
      headers: { ...json, Origin: 'http://evil.example' },
      body: queryBody,
    });
    expect(evil.status).toBe(403);
    expect(evil.json()).toMatchObject({ error: 'origin_not_allowed' });
    const otherPort = await raw(`${s.url}/folders/query`, {
      method: 'POST',
      headers: { ...json, Origin: 'http://127.0.0.1:1' },
      body: queryBody,
    });
    expect(otherPort.status).toBe(403);
    const nullOrigin = await raw(`${s.url}/folders/query`, {
      method: 'POST',
      headers: { ...json, Origin: 'null' },
      body: queryBody,
    });
    expect(nullOrigin.status).toBe(403);
  });

  test('Referer stands in for a missing Origin', async () => {
    const s = await start();
    const ok = await raw(`${s.url}/folders/query`, {
      method: 'POST',
      headers: { ...json, Referer: `${s.url}/some/page` },
      body: queryBody,
    });
    expect(ok.status).toBe(200);
    const bad = await raw(`${s.url}/folders/query`, {
      method: 'POST',
      headers: { ...json, Referer: 'http://evil.example/x' },
      body: queryBody,
    });
    expect(bad.status).toBe(403);
  });

  test('no Origin: allowed from loopback without a token; with a token only with Bearer', async () => {
    const open = await start();
    expect(
      (await raw(`${open.url}/folders/query`, { method: 'POST', headers: json, body: queryBody }))
        .status,
    ).toBe(200);
    await open.close();
    server = null;
    const s = await start({ token: TOKEN });
    const cookie = `${tokenCookieName(TOKEN)}=${TOKEN}`;
    const withCookie = await raw(`${s.url}/folders/query`, {
      method: 'POST',
      headers: { ...json, Cookie: cookie },
      body: queryBody,
    });
    expect(withCookie.status).toBe(403);
    expect(withCookie.json()).toMatchObject({ error: 'origin_not_allowed' });
    const withBearer = await raw(`${s.url}/folders/query`, {
      method: 'POST',
      headers: { ...json, Authorization: `Bearer ${TOKEN}` },
      body: queryBody,
    });
    expect(withBearer.status).toBe(200);
    const browser = await raw(`${s.url}/folders/query`, {
      method: 'POST',
      headers: { ...json, Cookie: cookie, Origin: s.url },
      body: queryBody,
    });
    expect(browser.status).toBe(200);
  });
});

describe('--read-only', () => {
  test('writes are refused, queries and presence are not', async () => {
    const s = await start({ read_only: true });
    const put = await raw(`${s.url}/views`, {
      method: 'PUT',
      headers: { ...json, Origin: s.url },
      body: '{"views":[]}',
    });
    expect(put.status).toBe(403);
    expect(put.json()).toMatchObject({ error: 'read_only' });
    const patch = await raw(`${s.url}/item?path=/a.jpg`, {
      method: 'PATCH',
      headers: { ...json, Origin: s.url },
      body: '{}',
    });
    expect(patch.status).toBe(403);
    const q = await raw(`${s.url}/folders/query`, {
      method: 'POST',
      headers: { ...json, Origin: s.url },
      body: queryBody,
    });
    expect(q.status).toBe(200);
    // The metrics panel's reads and an export are queries too.
    for (const path of ['/folders/facets', '/folders/fields', '/export']) {
      const read = await raw(`${s.url}${path}`, {
        method: 'POST',
        headers: { ...json, Origin: s.url },
        body: '{}',
      });
      expect(read.status, path).toBe(200);
    }
    const join = await raw(`${s.url}/presence/join`, {
      method: 'POST',
      headers: { ...json, Origin: s.url },
      body: '{"gallery_id":"/"}',
    });
    expect(join.status).not.toBe(403);
  });
});

test('answers carry hardening headers', async () => {
  const s = await start();
  const res = await raw(`${s.url}/health`);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(res.headers['access-control-allow-origin']).toBeUndefined();
});

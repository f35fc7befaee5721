import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { ensureSession, requestSession, sessionActor, sessionOf } from './session.ts';

test('a session is read from its cookie only when it looks like one', () => {
  expect(sessionOf({ cookie: 'a=b; lenslet_session=0123456789abcdef0123456789abcdef' })).toBe(
    '0123456789abcdef0123456789abcdef',
  );
  expect(sessionOf({ cookie: 'lenslet_session=short' })).toBeNull();
  expect(sessionOf({ cookie: 'lenslet_session=has-dash-0123456789' })).toBeNull();
  expect(sessionOf({})).toBeNull();
  expect(sessionActor('0123456789abcdef')).toBe('session:01234567');
});

/** One request to a server running `ensureSession`; answers the session the route saw. */
async function roundTrip(cookie?: string): Promise<{ seen: string | null; setCookie: string[] }> {
  let seen: string | null = null;
  const server = createServer((req: IncomingMessage, res) => {
    res.setHeader('Set-Cookie', 'earlier=1');
    ensureSession(req, res);
    seen = requestSession(req);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      headers: cookie === undefined ? {} : { cookie },
    });
    await res.text();
    return { seen, setCookie: res.headers.getSetCookie() };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

test('a request without a session gets a new one, set as an HttpOnly cookie beside others', async () => {
  const { seen, setCookie } = await roundTrip();
  expect(seen).toMatch(/^[0-9a-f]{32}$/);
  expect(setCookie).toEqual([
    'earlier=1',
    `lenslet_session=${seen}; HttpOnly; Path=/; SameSite=Lax`,
  ]);
});

test('a request with a session keeps it and gets no new cookie', async () => {
  const session = 'fedcba9876543210fedcba9876543210';
  const { seen, setCookie } = await roundTrip(`lenslet_session=${session}`);
  expect(seen).toBe(session);
  expect(setCookie).toEqual(['earlier=1']);
});

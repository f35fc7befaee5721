/**
 * Targeted cases of access and live state: bad resume points on the live stream, every token
 * carrier on a token server, and a presence flood up to the session cap.
 */
import type { Oracle } from './oracle.ts';
import { json, jsonHeaders, LANDSCAPE, prober, type Target } from './probe.ts';
import { encode as q } from './values.ts';

/** Bad resume points: 400 for a non-number; a stream that ends with resync-required otherwise. */
export async function resumePoints(oracle: Oracle, t: Target): Promise<void> {
  const { get } = prober(oracle, t);
  for (const bad of ['abc', '-1', '1.5', '1e3', '0x10', '99999999999999999999999']) {
    await get(`/events?last_event_id=${q(bad)}`, [400], `last_event_id=${bad}`);
    await get('/events', [400], `Last-Event-ID: ${bad}`, { 'last-event-id': bad });
  }
  for (const target of [
    '/events?last_event_id=999999999',
    '/events?last_event_id=0&log_id=not-this-log',
    `/events?log_id=${'x'.repeat(5000)}`,
    '/events?last_event_id=0&log_id=',
  ]) {
    await get(target, [200, 400], `resume ${target.slice(0, 60)}`);
  }
}

/** Token server: every carrier checked, nothing answered without it. */
export async function tokenChecks(oracle: Oracle, t: Target & { token: string }): Promise<void> {
  const { get, patchLandscape } = prober(oracle, t);
  const page = { authorization: null, accept: 'text/html' };
  await get('/health', [401], 'a wrong token', { authorization: 'Bearer nope-nope-nope-nope' });
  await get('/folders', [401], 'Basic auth instead of Bearer', { authorization: 'Basic eDp5' });
  await get(LANDSCAPE, [401], 'an empty Authorization header', { authorization: '' });
  await get('/', [401], 'a browser without the token', page);
  await get(`/?token=${t.token}x`, [401], 'a wrong ?token= link', page);
  await get(`/?token=${t.token}`, [302], 'a valid ?token= link redirects without it', {
    authorization: null,
  });
  await get('/events', [401], 'the live stream without the token', { authorization: 'Bearer x' });
  await patchLandscape(
    { ...jsonHeaders, authorization: null, 'idempotency-key': 'fuzz-token-001' },
    json({ add_tags: ['x'] }),
    [401],
    'a write without the token',
  );
}

/** Thousands of presence sessions: joins answer 200 until the cap, then 429; the server lives. */
export async function presenceFlood(
  oracle: Oracle,
  t: Target,
  joins: number,
): Promise<{ ok: number; limited: number }> {
  let ok = 0;
  let limited = 0;
  let next = 0;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (t.token) headers.authorization = `Bearer ${t.token}`;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < joins) {
        const i = next++;
        const res = await fetch(`http://127.0.0.1:${t.port}/presence/join`, {
          method: 'POST',
          headers,
          body: json({ gallery_id: i % 2 ? '/' : '/nested', client_id: `flood-${i}` }),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        if (res.status === 200) ok += 1;
        else if (res.status === 429) limited += 1;
        else {
          oracle.report(
            'unexpected status',
            `presence join ${i}: ${res.status} ${text.slice(0, 200)}`,
            { method: 'POST', target: '/presence/join' },
            res.status,
          );
        }
      }
    }),
  );
  oracle.requests += joins;
  return { ok, limited };
}

/** Request headers: Host, Origin, token, content type, idempotency key, If-Match, user, resume. */
import fc from 'fast-check';

export type HeaderContext = { readonly port: number; readonly token: string | null };

/** Headers: Host, Origin, token, content type, idempotency key, If-Match, user, resume point. */
export function headers(ctx: HeaderContext): fc.Arbitrary<Record<string, string | Buffer | null>> {
  const self = `127.0.0.1:${ctx.port}`;
  const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
  return fc
    .record(
      {
        host: opt(
          fc.constantFrom(
            self,
            `localhost:${ctx.port}`,
            `[::1]:${ctx.port}`,
            'evil.example',
            'evil.example:80',
            '',
            `${self}.evil.example`,
            'a'.repeat(300),
            null,
          ),
        ),
        origin: opt(
          fc.constantFrom(
            `http://${self}`,
            'null',
            'http://evil.example',
            `https://${self}`,
            'garbage',
            `http://${self}/x`,
          ),
        ),
        referer: opt(fc.constantFrom(`http://${self}/`, 'http://evil.example/')),
        authorization: opt(
          fc.constantFrom(
            ...(ctx.token
              ? [`Bearer ${ctx.token}`, `Bearer ${ctx.token}x`, `bearer ${ctx.token}`]
              : []),
            'Bearer wrong-token-0123456789',
            'Basic YWRtaW46YWRtaW4=',
            'Bearer',
            `Bearer ${'x'.repeat(4000)}`,
          ),
        ),
        cookie: opt(fc.constantFrom('lenslet_token_000000000000=abc', 'a=b; c', '=;=;')),
        'content-type': opt(
          fc.constantFrom(
            'application/json',
            'application/json; charset=utf-8',
            'application/json; charset=latin1',
            'application/json; charset=utf-16',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'APPLICATION/JSON',
            'application/jsonx',
            null,
          ),
        ),
        'idempotency-key': opt(
          fc.oneof(
            fc.string({ minLength: 8, maxLength: 24 }).filter((s) => /^[\x21-\x7e]+$/.test(s)),
            fc.constantFrom('short', 'k'.repeat(129), 'fuzz-key-0001', 'fuzz key with spaces'),
          ),
        ),
        'if-match': opt(
          fc.constantFrom(
            '"1"',
            'W/"2"',
            '3',
            '"x"',
            '*',
            '"1", "2"',
            '-1',
            '"99999999999999999999"',
          ),
        ),
        'x-lenslet-user': opt(
          fc.constantFrom('ana', '%C3%A9mile', '%FF%FE', '%', 'x'.repeat(100), '%00', '%E2%80%AE'),
        ),
        'x-lenslet-client-id': opt(fc.constantFrom('tab-1', '', 'x'.repeat(200))),
        'last-event-id': opt(
          fc.constantFrom('0', '1', '-1', '1.5', 'abc', '99999999', '1e3', '', ' 2', '0x1'),
        ),
        accept: opt(fc.constantFrom('text/html', 'application/json', 'text/event-stream', '*/*')),
        range: opt(
          fc.constantFrom(
            'bytes=0-10',
            'bytes=-5',
            'bytes=100000-',
            'bytes=5-1',
            'bytes=0-1,3-4',
            'chars=0-1',
            'bytes=',
          ),
        ),
        'if-none-match': opt(fc.constantFrom('"t1"', '*', 'garbage')),
      },
      { requiredKeys: [] },
    )
    .map((h) => {
      const out: Record<string, string | Buffer | null> = {};
      for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = v;
      return out;
    });
}

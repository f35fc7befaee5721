import { expect, test } from 'vitest';
import { toWriteRequest } from './write-request.ts';

test('the user header becomes the actor (percent-decoded, NFC); anonymous without it', () => {
  const named = toWriteRequest(
    { 'x-lenslet-user': encodeURIComponent('Zoe\u0308'), 'idempotency-key': 'abcdefgh' },
    'patch',
    { keyRequired: true },
  );
  expect(named.meta).toEqual({ actor: 'Zoë', mutation_id: 'abcdefgh', mode: 'patch' });
  expect(
    toWriteRequest({ 'idempotency-key': 'abcdefgh' }, 'patch', { keyRequired: true }).meta.actor,
  ).toBe('anonymous');
});

test('a required key must be sent; an optional one is generated, or honoured when sent', () => {
  expect(() => toWriteRequest({}, 'patch', { keyRequired: true })).toThrow(/Idempotency-Key/);
  const generated = toWriteRequest({}, 'put', { keyRequired: false });
  expect(generated.meta.mutation_id).toMatch(/^put:[0-9a-f-]{36}$/);
  expect(generated.generated_key).toBe(true);
  const sent = toWriteRequest({ 'idempotency-key': 'my-put-key-1' }, 'put', { keyRequired: false });
  expect(sent.meta.mutation_id).toBe('my-put-key-1');
  expect(() =>
    toWriteRequest({ 'idempotency-key': 'bad key!' }, 'put', { keyRequired: false }),
  ).toThrow();
});

test('the presence client id is read and checked', () => {
  const headers = { 'idempotency-key': 'abcdefgh', 'x-lenslet-client-id': 'tab-7' };
  expect(toWriteRequest(headers, 'patch', { keyRequired: true }).client_id).toBe('tab-7');
  expect(() =>
    toWriteRequest({ ...headers, 'x-lenslet-client-id': 'x'.repeat(129) }, 'patch', {
      keyRequired: true,
    }),
  ).toThrow(/X-Lenslet-Client-Id/);
});

test('a header sent twice is refused rather than guessed', () => {
  expect(() =>
    toWriteRequest({ 'x-lenslet-user': ['a', 'b'] }, 'put', { keyRequired: false }),
  ).toThrow(/once/);
});

test('without a user header, a browser session writes as session:<first 8>; the header wins', () => {
  const cookie = 'other=1; lenslet_session=fedcba9876543210fedcba9876543210';
  const key = { 'idempotency-key': 'abcdefgh' };
  const bySession = toWriteRequest({ ...key, cookie }, 'patch', { keyRequired: true });
  expect(bySession.meta.actor).toBe('session:fedcba98');
  const named = toWriteRequest({ ...key, cookie, 'x-lenslet-user': 'ana' }, 'patch', {
    keyRequired: true,
  });
  expect(named.meta.actor).toBe('ana');
  // A cookie that is not a session (too short, other characters) counts as none.
  const bad = toWriteRequest({ ...key, cookie: 'lenslet_session=abc' }, 'patch', {
    keyRequired: true,
  });
  expect(bad.meta.actor).toBe('anonymous');
});

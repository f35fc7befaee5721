import { expect, test } from 'vitest';
import { checkUrl, isUnavailable, openError, redactUrl } from './connection.ts';

test('the password never appears in messages', () => {
  expect(redactUrl('postgres://ana:s3cr@t@db.example/labels')).toBe(
    'postgres://ana:***@db.example/labels',
  );
  expect(redactUrl('postgres://db.example/labels')).toBe('postgres://db.example/labels');
});

test('URLs: single and multi-host, IPv6 and parameters pass; anything else is a usage error', () => {
  for (const url of [
    'postgres://db/labels',
    'postgresql://ana:pw@10.0.0.1:5433/labels?sslmode=require',
    'postgres://h1:5432,h2:5433/labels?target_session_attrs=read-write',
    'postgres://[::1]:5432/labels',
  ]) {
    expect(() => checkUrl(url)).not.toThrow();
  }
  for (const url of [
    'mysql://db/labels',
    'db/labels',
    'postgres://h:0/labels',
    'postgres://h:70000/labels',
    'postgres://h1,/labels',
    'postgres://[::1/labels',
    'postgres://h/labels?x=%zz',
  ]) {
    expect(() => checkUrl(url), url).toThrow(expect.objectContaining({ code: 'usage' }));
  }
});

test('which failures mean "the database is unavailable"', () => {
  for (const code of [
    'ECONNREFUSED',
    'CONNECTION_CLOSED',
    'QUERY_TIMEOUT',
    '57P01',
    '08006',
    '25006',
  ]) {
    expect(isUnavailable({ code })).toBe(true);
  }
  expect(isUnavailable({ code: '23505' })).toBe(false);
  expect(isUnavailable(new AggregateError([{ code: 'ECONNREFUSED' }]))).toBe(true);
  expect(
    openError({ code: '28P01', message: 'password authentication failed' }, 'postgres://a:b@h/d'),
  ).toMatchObject({
    code: 'unauthorized',
    message: expect.not.stringContaining(':b@'),
  });
  expect(
    openError({ code: '3D000', message: 'database "d" does not exist' }, 'postgres://h/d').code,
  ).toBe('not_found');
});

import { expect, test } from 'vitest';
import {
  MAX_QUERY_SESSIONS,
  ownershipOf,
  QUERY_SESSION_TTL_MS,
  QueryRevisions,
} from './revisions.ts';

const superseded = { code: 'analysis_superseded' };

test('a lower revision of a session is superseded; equal and higher ones are answered', () => {
  const revisions = new QueryRevisions(() => 0);
  revisions.admit('tab', 5);
  revisions.admit('tab', 5);
  expect(() => revisions.admit('tab', 4)).toThrow(expect.objectContaining(superseded));
  revisions.admit('tab', 6);
  expect(() => revisions.admit('tab', 5)).toThrow(expect.objectContaining(superseded));
  revisions.admit('other-tab', 1);
});

test('a session is forgotten after its TTL, and beyond the session limit the oldest first', () => {
  let now = 0;
  const revisions = new QueryRevisions(() => now);
  revisions.admit('tab', 9);
  now = QUERY_SESSION_TTL_MS;
  revisions.admit('tab', 1);
  for (let i = 0; i < MAX_QUERY_SESSIONS; i++) revisions.admit(`s${i}`, 3);
  revisions.admit('tab', 1);
  expect(() => revisions.admit('s1', 2)).toThrow(expect.objectContaining(superseded));
  revisions.admit('s0', 2);
});

test('the ownership headers: both or neither, a printable session, an integer revision', () => {
  expect(ownershipOf('tab-1:metrics-population', '12')).toEqual({
    session: 'tab-1:metrics-population',
    revision: 12,
  });
  expect(() => ownershipOf('tab', undefined)).toThrow(/must be sent together/);
  expect(() => ownershipOf(undefined, undefined)).toThrow(/must be sent together/);
  expect(() => ownershipOf('a tab', '1')).toThrow(/X-Lenslet-Client-Session/);
  expect(() => ownershipOf('tab', '-1')).toThrow(/X-Lenslet-Query-Revision/);
  expect(() => ownershipOf('tab', '01')).toThrow(/X-Lenslet-Query-Revision/);
});

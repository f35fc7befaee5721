import { expect, test } from 'vitest';
import { openPostgresStore } from './open-postgres-store.ts';
import { SCHEMA_VERSION } from './schema.ts';
import { freshDatabase, meta, p, quick, rejection, useCluster } from './test-support.ts';
import { freePort } from './testing/pg-cluster.ts';

const cluster = useCluster();

test('creates the schema once, records each migration once and keeps the log id across opens', async () => {
  const url = await freshDatabase(cluster());
  const first = await openPostgresStore(url, quick);
  await first.apply({ path: p('/a.jpg'), patch: { add_tags: ['x'] } }, meta());
  await first.close();
  const again = await openPostgresStore(url, quick);
  expect(again.log_id).toBe(first.log_id);
  expect(again.head()).toBe(1);
  await again.close();
  const db = url.slice(url.lastIndexOf('/') + 1);
  expect(
    (await cluster().psql('SELECT version FROM lenslet_schema ORDER BY version', db)).trim(),
  ).toBe(Array.from({ length: SCHEMA_VERSION }, (_, i) => String(i + 1)).join('\n'));
});

test('a database written at schema 2 is upgraded in place: its log starts at seq 1 and goes on', async () => {
  const url = await freshDatabase(cluster());
  const first = await openPostgresStore(url, quick);
  await first.apply({ path: p('/a.jpg'), patch: { add_tags: ['x'] } }, meta());
  await first.close();
  const db = url.slice(url.lastIndexOf('/') + 1);
  // Back to what a schema-2 binary left: no first_seq column, migration 3 not recorded.
  await cluster().psql(
    'ALTER TABLE lenslet_log_meta DROP COLUMN first_seq; DELETE FROM lenslet_schema WHERE version = 3',
    db,
  );
  const again = await openPostgresStore(url, quick);
  expect(again.head()).toBe(1);
  expect(again.status().origin).toBeUndefined();
  const next = await again.apply({ path: p('/a.jpg'), patch: { add_tags: ['y'] } }, meta());
  expect(next.record?.seq).toBe(2);
  expect((await again.verify()).ok).toBe(true);
  await again.close();
  expect((await cluster().psql('SELECT first_seq FROM lenslet_log_meta', db)).trim()).toBe('1');
});

test('a database holding another workspace log is refused, naming both ids', async () => {
  const url = await freshDatabase(cluster());
  const store = await openPostgresStore(url, { ...quick, log_id: 'workspace-one' });
  expect(store.log_id).toBe('workspace-one');
  await store.close();
  const error = await rejection(openPostgresStore(url, { ...quick, log_id: 'workspace-two' }));
  expect(error.code).toBe('precondition_failed');
  expect(error.message).toContain('workspace-one');
  expect(error.message).toContain('workspace-two');
});

test('a schema newer than this binary is refused with a clear message', async () => {
  const url = await freshDatabase(cluster());
  await (await openPostgresStore(url, quick)).close();
  const db = url.slice(url.lastIndexOf('/') + 1);
  await cluster().psql(`INSERT INTO lenslet_schema (version) VALUES (${SCHEMA_VERSION + 1})`, db);
  const error = await rejection(openPostgresStore(url, quick));
  expect(error.code).toBe('precondition_failed');
  expect(error.message).toMatch(/schema version \d+, newer than this Lenslet understands/);
});

test('bad URLs, a missing database, a refused login and no server each name the problem', async () => {
  expect((await rejection(openPostgresStore('mysql://h/db', quick))).code).toBe('usage');
  for (const url of [
    'postgres://[::1/db',
    'postgres://127.0.0.1:99999/db',
    'postgres://h:port/db',
  ]) {
    expect((await rejection(openPostgresStore(url, quick))).code).toBe('usage');
  }
  const missing = await rejection(openPostgresStore(cluster().url('no_such_db'), quick));
  expect(missing.code).toBe('not_found');
  expect(missing.message).toContain('no_such_db');
  await cluster().psql('CREATE ROLE nologin_user NOLOGIN');
  const refused = await rejection(
    openPostgresStore(`postgres://nologin_user:secret@127.0.0.1:${cluster().port}/postgres`, quick),
  );
  expect(refused.code).toBe('unauthorized');
  expect(refused.message).not.toContain('secret');
  const started = Date.now();
  const down = await rejection(
    openPostgresStore(`postgres://postgres@127.0.0.1:${await freePort()}/postgres`, quick),
  );
  expect(down.code).toBe('persistence_unavailable');
  expect(Date.now() - started).toBeLessThan(5_000);
});

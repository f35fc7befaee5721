import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { encodeRecord } from '@lenslet/store';
import { expect, test } from 'vitest';
import { archiveName } from './archive-export.ts';
import { openPostgresStore } from './open-postgres-store.ts';
import { freshDatabase, meta, p, quick, useCluster } from './test-support.ts';

const cluster = useCluster();

test('an exported range unzips to the JSONL lines of those records, in several gzip members', async () => {
  const store = await openPostgresStore(await freshDatabase(cluster()), quick);
  const dir = await mkdtemp(join(tmpdir(), 'lenslet-archive-'));
  try {
    const notes = 'n'.repeat(400);
    await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        store.apply(
          { path: p(`/x${i}.jpg`), patch: { set_notes: `${notes}${i}` }, expected_version: 1 },
          meta(),
        ),
      ),
    );
    const file = join(dir, archiveName(11, 390));
    expect(file).toMatch(/labels\.000000000011-000000000390\.jsonl\.gz$/);
    const report = await store.exportArchive(file, { from: 11, to: 390 });
    expect(report).toMatchObject({ from: 11, to: 390, records: 380 });
    const gz = await readFile(file);
    expect(gz.length).toBe(report.gz_bytes);
    // gzip members start with 1f 8b 08: more than one block of ~64 KiB.
    const members = gz.toString('latin1').split('\x1f\x8b\x08').length - 1;
    expect(members).toBeGreaterThan(1);
    const expected: string[] = [];
    for await (const c of store.replay(10, 390)) expected.push(`${encodeRecord(c.record)}\n`);
    expect(gunzipSync(gz).toString('utf8')).toBe(expected.join(''));
    await expect(store.exportArchive(join(dir, 'bad.gz'), { from: 0 })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

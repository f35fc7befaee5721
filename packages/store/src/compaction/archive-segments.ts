/**
 * Compaction steps 2–4, for every rotated segment (also the ones a crash left behind):
 *   2. off the main thread: gzip the segment into archive/…jsonl.gz.tmp + …idx.tmp, fdatasync;
 *      rename both into place, fsync archive/;
 *   3. a snapshot at the segment's last seq, if the snapshot is older;
 *   4. delete the segment, fsync the directory.
 * Each step is durable before the next, so recovery (and the next open) finishes any prefix.
 * History is never deleted: archives stay until the user removes them.
 */
import { fromWorker } from '../background/runner.ts';
import type { IndexFile } from '../index/index-file.ts';
import { readArchiveIndex } from '../log/log-source.ts';
import type { OpenLog } from '../log/open-log.ts';
import { takeSnapshot } from '../snapshot/take-snapshot.ts';
import { ARCHIVE_DIR, archiveIndexName, archiveName } from '../workspace/layout.ts';
import type { ImmutableFile } from '../workspace/workspace-scan.ts';

type ArchiveFile = Extract<ImmutableFile, { kind: 'archive' }>;

/** Archive every segment still waiting; resolves the archives written. */
export async function archiveSegments(log: OpenLog): Promise<ImmutableFile[]> {
  const { fs, dir } = log;
  const done: ImmutableFile[] = [];
  for (const segment of log.history.filter((f) => f.kind === 'segment')) {
    await fs.mkdir(`${dir}/${ARCHIVE_DIR}`);
    await fs.syncDir(dir);
    const archive: ImmutableFile = {
      kind: 'archive',
      name: `${ARCHIVE_DIR}/${archiveName(segment.from, segment.to)}`,
      index_name: `${ARCHIVE_DIR}/${archiveIndexName(segment.from, segment.to)}`,
      from: segment.from,
      to: segment.to,
    };
    const complete = await readArchiveIndex(fs, dir, archive);
    if (!complete || !(await fs.stat(`${dir}/${archive.name}`))) {
      const job = await archiveToTemp(log, segment, archive);
      await fs.rename(`${dir}/${job.out_idx}`, `${dir}/${archive.index_name}`);
      await fs.rename(`${dir}/${job.out_gz}`, `${dir}/${archive.name}`);
      await fs.syncDir(`${dir}/${ARCHIVE_DIR}`);
    }
    log.history = log.history.map((f) => (f === segment ? archive : f));
    log.reader.forget(segment.name);
    log.epoch += 1;
    if ((log.snapshot?.seq ?? 0) < segment.to) await takeSnapshot(log);
    await fs.unlink(`${dir}/${segment.name}`);
    await fs.syncDir(dir);
    done.push(archive);
  }
  return done;
}

/** An archive whose index file is lost: write it again (block by block) from its own content. */
export async function rebuildArchiveIndex(log: OpenLog, archive: ArchiveFile): Promise<IndexFile> {
  const { fs, dir } = log;
  log.warn(`${archive.index_name} is missing or damaged; rebuilding it from ${archive.name}`);
  const job = await archiveToTemp(log, archive, archive);
  await fs.rename(`${dir}/${job.out_idx}`, `${dir}/${archive.index_name}`);
  log.epoch += 1;
  await fs.rename(`${dir}/${job.out_gz}`, `${dir}/${archive.name}`);
  await fs.syncDir(`${dir}/${ARCHIVE_DIR}`);
  log.reader.forget(archive.name);
  const index = await readArchiveIndex(fs, dir, archive);
  if (!index) throw new Error(`could not rebuild ${archive.index_name}`);
  return index;
}

/**
 * Run the archive job: `source` (a segment, or an archive read back) gzipped and indexed into
 * `<archive name>.tmp` and `<index name>.tmp`, which the caller renames into place. A failed job
 * leaves no temp file behind.
 */
async function archiveToTemp(log: OpenLog, source: ImmutableFile, archive: ArchiveFile) {
  const { fs, dir } = log;
  const job = {
    dir,
    source,
    out_gz: `${archive.name}.tmp`,
    out_idx: `${archive.index_name}.tmp`,
  };
  try {
    await log.runner.run('archive', job);
  } catch (error) {
    await fs.unlink(`${dir}/${job.out_gz}`).catch(() => {});
    await fs.unlink(`${dir}/${job.out_idx}`).catch(() => {});
    throw fromWorker(error);
  }
  return job;
}

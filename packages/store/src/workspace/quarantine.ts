/**
 * `.lenslet/quarantine/`: bytes that recovery or repair took out of the log are copied here
 * (durably, before the log is touched), and damaged files are moved here, so nothing is ever
 * destroyed. File names say when and from where: `<time>-<file>@<offset>.bin`, `<time>-<file>`.
 */
import type { FsPort } from '../port/fs-port.ts';
import { QUARANTINE_DIR } from './layout.ts';

/** Durably save `data` (taken from `file` at byte `offset`) into the quarantine; returns its name. */
export async function quarantineBytes(
  fs: FsPort,
  dir: string,
  file: string,
  offset: number,
  data: Uint8Array,
  now: Date,
): Promise<string> {
  const qdir = `${dir}/${QUARANTINE_DIR}`;
  await fs.mkdir(qdir);
  await fs.syncDir(dir);
  const stamp = now.toISOString().replaceAll(':', '-');
  const name = `${stamp}-${file.replaceAll('/', '_')}@${offset}.bin`;
  const handle = await fs.open(`${qdir}/${name}`, 'w');
  try {
    await handle.write(data, 0);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await fs.syncDir(qdir);
  return `${QUARANTINE_DIR}/${name}`;
}

/** Move a damaged file into quarantine/ (rename, so its bytes stay exactly as they were). */
export async function setAside(fs: FsPort, dir: string, name: string, now: Date): Promise<string> {
  await fs.mkdir(`${dir}/${QUARANTINE_DIR}`);
  await fs.syncDir(dir);
  const target = `${QUARANTINE_DIR}/${now.toISOString().replaceAll(':', '-')}-${name}`;
  await fs.rename(`${dir}/${name}`, `${dir}/${target}`);
  await fs.syncDir(`${dir}/${QUARANTINE_DIR}`);
  await fs.syncDir(dir);
  return target;
}

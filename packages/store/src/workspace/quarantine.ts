/**
 * `.lenslet/quarantine/`: bytes that recovery or repair took out of the log are copied here
 * (durably, before the log is touched) so nothing is ever destroyed. File names say when and from
 * where: `<time>-<file>@<offset>.bin`.
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

/** Read `length` bytes of a file at `offset`. */
export async function readRange(
  fs: FsPort,
  path: string,
  offset: number,
  length: number,
): Promise<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = await handle.read(buf, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    await handle.close();
  }
}

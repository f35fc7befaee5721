/**
 * Which filesystem a folder is on, from /proc/mounts: native change notification (inotify) does
 * not see changes made by other machines on network filesystems, nor reliably on FUSE, so those
 * folders are rescanned periodically instead.
 */
import { readFile } from 'node:fs/promises';

export type Mount = { readonly point: string; readonly type: string };

/** Filesystem types whose changes inotify may miss. `fuse.*` covers sshfs, rclone, s3fs, … */
const POLL_TYPES = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb',
  'smb3',
  'smbfs',
  '9p',
  'afs',
  'ceph',
  'glusterfs',
  'lustre',
  'gpfs',
  'davfs',
  'fuse',
  'fuseblk',
  'virtiofs',
  'vboxsf',
  'vmhgfs',
]);

/** 'a\\040b' => 'a b' (the kernel escapes space, tab, newline and backslash in octal). */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) =>
    String.fromCharCode(Number.parseInt(oct, 8)),
  );
}

/** Parse the text of /proc/mounts (or /proc/self/mounts). */
export function parseMounts(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    if (fields.length < 3) continue;
    mounts.push({ point: unescapeMount(fields[1]!), type: fields[2]! });
  }
  return mounts;
}

/** The mount that holds `path` (an absolute realpath): the longest matching mount point. */
export function mountOf(mounts: readonly Mount[], path: string): Mount | null {
  let best: Mount | null = null;
  for (const m of mounts) {
    const inside = m.point === '/' || path === m.point || path.startsWith(`${m.point}/`);
    if (inside && (best === null || m.point.length >= best.point.length)) best = m;
  }
  return best;
}

/** True for filesystem types that need periodic rescans instead of inotify. */
export function needsPolling(type: string): boolean {
  return POLL_TYPES.has(type) || type.startsWith('fuse.') || type.startsWith('nfs');
}

/** The filesystem type under `path`, or null when unknown (no /proc, e.g. not Linux). */
export async function filesystemType(
  path: string,
  mountsFile = '/proc/self/mounts',
): Promise<string | null> {
  try {
    return mountOf(parseMounts(await readFile(mountsFile, 'utf8')), path)?.type ?? null;
  } catch {
    return null;
  }
}

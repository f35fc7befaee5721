import { expect, test } from 'vitest';
import { mountOf, needsPolling, parseMounts } from './mounts.ts';

const MOUNTS = [
  '/dev/vda / ext4 rw,relatime 0 0',
  'server:/export /mnt/photos nfs4 rw 0 0',
  'photos: /home/me/My\\040Drive fuse.rclone rw 0 0',
  'tmpfs /mnt/photos/cache tmpfs rw 0 0',
].join('\n');

test('the longest mount point holding a path decides its filesystem', () => {
  const mounts = parseMounts(MOUNTS);
  expect(mountOf(mounts, '/srv/x')?.type).toBe('ext4');
  expect(mountOf(mounts, '/mnt/photos/2024')?.type).toBe('nfs4');
  expect(mountOf(mounts, '/mnt/photos/cache/t')?.type).toBe('tmpfs');
  expect(mountOf(mounts, '/mnt/photoshop')?.type).toBe('ext4');
  expect(mountOf(mounts, '/home/me/My Drive/a')?.type).toBe('fuse.rclone');
});

test('network and FUSE filesystems need polling; local ones do not', () => {
  for (const t of ['nfs', 'nfs4', 'cifs', 'smb3', '9p', 'fuse.sshfs', 'fuse.rclone', 'fuseblk']) {
    expect(needsPolling(t)).toBe(true);
  }
  for (const t of ['ext4', 'xfs', 'btrfs', 'tmpfs', 'overlay', 'zfs'])
    expect(needsPolling(t)).toBe(false);
});

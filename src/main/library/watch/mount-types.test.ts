import { describe, expect, it } from 'vitest';
import { isNetworkFsType, mountOf, parseMounts } from './mount-types';
import { hasHiddenSegment, isInProgressName, isWatchedFileName } from './watch-names';

const MOUNTS = `sysfs /sys sysfs rw,nosuid 0 0
/dev/vda / ext4 rw,relatime 0 0
nas:/export/media /mnt/media nfs4 rw,relatime,vers=4.2 0 0
//server/share /mnt/smb\\040share cifs rw 0 0
user@host:/srv /home/u/remote fuse.sshfs rw 0 0
/dev/sdb1 /mnt/media/local ext4 rw 0 0
mergerfs /pool fuse.mergerfs rw 0 0
`;

describe('mount types', () => {
  const mounts = parseMounts(MOUNTS);

  it('parses /proc/mounts, octal escapes included', () => {
    expect(mounts.map((m) => m.mountPoint)).toContain('/mnt/smb share');
    expect(mounts.find((m) => m.mountPoint === '/mnt/media')?.fsType).toBe('nfs4');
  });

  it('finds the deepest mount above a path', () => {
    expect(mountOf('/mnt/media/library/inbox', mounts)?.fsType).toBe('nfs4');
    expect(mountOf('/mnt/media/local/videos', mounts)?.fsType).toBe('ext4');
    expect(mountOf('/mnt/mediax', mounts)?.mountPoint).toBe('/');
    expect(mountOf('/mnt/smb share/x', mounts)?.fsType).toBe('cifs');
    expect(mountOf('/home/u/remote/lib', mounts)?.fsType).toBe('fuse.sshfs');
  });

  it.each([
    ['nfs', true], ['nfs4', true], ['cifs', true], ['smb3', true], ['fuse.sshfs', true], ['9p', true], ['fuse.rclone', true],
    ['ext4', false], ['xfs', false], ['btrfs', false], ['zfs', false], ['tmpfs', false], ['overlay', false], ['fuse.mergerfs', false],
  ])('%s is a network file system: %s', (fsType, network) => {
    expect(isNetworkFsType(fsType)).toBe(network);
  });
});

describe('watched names', () => {
  it.each(['a.mp4.part', 'a.mp4.crdownload', 'a.mp4.!qB', 'a.mp4.tmp', 'a.123e4567-a1.partial.mp4', 'a.partial', 'a.mkv.download'])('%s is still being written', (name) => {
    expect(isInProgressName(name)).toBe(true);
    expect(isWatchedFileName(name)).toBe(false);
  });

  it('registers video files only, never hidden ones', () => {
    expect(isWatchedFileName('holiday.mp4')).toBe(true);
    expect(isWatchedFileName('Holiday.MKV')).toBe(true);
    expect(isWatchedFileName('notes.txt')).toBe(false);
    expect(isWatchedFileName('.holiday.mp4')).toBe(false);
    expect(hasHiddenSegment('videos/.quarantine/a.mp4')).toBe(true);
    expect(hasHiddenSegment('videos/a/b.mp4')).toBe(false);
  });
});

/**
 * Which file system a folder lives on, from /proc/mounts (Linux), and whether file events can be
 * trusted there. inotify sees only changes made through this machine's kernel: on a network share
 * (NFS, SMB/CIFS, sshfs, 9p …) files written by another machine raise no event, so `auto` polls
 * such folders and uses native events elsewhere.
 */
import { readFileSync } from 'node:fs';
import { sep } from 'node:path';

export interface MountEntry {
  readonly mountPoint: string;
  readonly fsType: string;
}

/** File systems whose changes by other machines raise no local file events. */
const NETWORK_FS_TYPES = new Set([
  'nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', '9p', 'virtiofs', 'ceph', 'glusterfs', 'lustre', 'gpfs', 'afs', 'davfs', 'ncpfs', 'beegfs', 'ocfs2', 'gfs2',
]);

/** FUSE file systems that are network clients (fuse.sshfs, fuse.rclone …); local FUSE ones (mergerfs over local disks) keep native events. */
const NETWORK_FUSE = /^fuse\.(?:sshfs|rclone|s3fs|gcsfuse|goofys|glusterfs|ceph|cephfs|juicefs|davfs|smbnetfs|curlftpfs|nfs|afp|afpfs)/;

export function isNetworkFsType(fsType: string): boolean {
  const t = fsType.toLowerCase();
  return NETWORK_FS_TYPES.has(t) || NETWORK_FUSE.test(t);
}

/** /proc/mounts escapes space, tab, newline and backslash as octal (\040 …). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMounts(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3) continue;
    entries.push({ mountPoint: unescapeMountField(fields[1]!), fsType: fields[2]! });
  }
  return entries;
}

/** The mount a (real, absolute) path is on: the longest mount point above it; the last mounted wins a tie. */
export function mountOf(realPath: string, mounts: readonly MountEntry[]): MountEntry | null {
  let best: MountEntry | null = null;
  for (const m of mounts) {
    const inside = m.mountPoint === '/' || realPath === m.mountPoint || realPath.startsWith(m.mountPoint.endsWith(sep) ? m.mountPoint : `${m.mountPoint}${sep}`);
    if (inside && (!best || m.mountPoint.length >= best.mountPoint.length)) best = m;
  }
  return best;
}

/** The mount table now; empty where there is none to read (not Linux). */
export function readMounts(file = '/proc/mounts'): MountEntry[] {
  try {
    return parseMounts(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

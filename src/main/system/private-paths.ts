/**
 * Owner-only files and folders, without touching the process umask: the data folder (database,
 * API tokens) is 0700 and the files in it 0600, whatever the umask of whoever started us.
 *
 * A folder or file that already exists with group/other bits is tightened when it is ours (a
 * chmod of someone else's would fail and is not our call); nothing is ever loosened. On Windows,
 * where modes mean little, folders and files are only created.
 */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

const isWindows = process.platform === 'win32';

function ownedByUs(uid: number): boolean {
  return process.getuid !== undefined && uid === process.getuid();
}

/** Takes the group/other bits off `path` when it exists, is ours and has any; `mode` is what it gets. */
function tighten(path: string, mode: (current: number) => number): void {
  if (isWindows) return;
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return; // not there (yet)
  }
  if ((stats.mode & 0o077) !== 0 && ownedByUs(stats.uid)) chmodSync(path, mode(stats.mode & 0o777));
}

/**
 * Creates the folder `path` as 0700 (its missing parents with the usual mode), or tightens an
 * existing one of ours to at most 0700.
 */
export function ensurePrivateDirectory(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  tighten(path, (current) => current & 0o700);
}

/** Tightens the file `path` to 0600 when it exists, is ours and is readable by others. */
export function tightenPrivateFile(path: string): void {
  tighten(path, () => 0o600);
}

/** Creates the file `path` empty as 0600 when missing (never truncates), else tightens it. */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  tightenPrivateFile(path);
}

/**
 * File-system errors of writing or publishing an output, as one line and a retry decision: a full
 * disk may heal (retried later, "Disk full: …"); a folder in the way, a name too long, a path through
 * a file or no permission on the library will fail the same way again (not retried).
 */
import { statfs } from 'node:fs/promises';
import { MissingOutputError } from '../media/staged-output';
import { JobError } from '../processor';

const CANNOT: Readonly<Record<string, string>> = {
  EISDIR: 'a folder has that name',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENAMETOOLONG: 'the name is too long for the file system',
  EACCES: 'permission denied on the library',
  EPERM: 'operation not permitted on the library',
  EROFS: 'the library is on a read-only file system',
  ELOOP: 'too many symbolic links in the path',
};

/** Reasons that start this way are output problems: an encoder fall-back would fail the same way. */
export const OUTPUT_PROBLEM = /^(Disk full|Cannot write|Not published)/;

export function diskFull(relativePath: string, detail = 'no space left on device'): JobError {
  return new JobError(`Disk full: ${detail} while writing ${relativePath}`, true);
}

/** The JobError for a failed write or publish of `relativePath`, or the error itself when it is none of these. */
export function outputFailure(error: unknown, relativePath: string): unknown {
  if (error instanceof JobError) return error;
  if (error instanceof MissingOutputError) return new JobError(`The tool produced no output for ${relativePath}`, true);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  // mkdir -p finds a file where a folder of the path should be
  if (code === 'EEXIST' && (error as NodeJS.ErrnoException).syscall === 'mkdir') return new JobError(`Cannot write ${relativePath}: ${CANNOT.ENOTDIR}`, false);
  if (code === 'ENOSPC' || code === 'EDQUOT') return diskFull(relativePath, code === 'EDQUOT' ? 'disk quota exceeded' : undefined);
  // SQLite's "database or disk is full" (the partial records live on the same disk as the data folder)
  if (code === 'SQLITE_FULL') return diskFull(relativePath, 'the database disk is full');
  const why = code ? CANNOT[code] : undefined;
  if (why) return new JobError(`Cannot write ${relativePath}: ${why}`, false);
  return error;
}

/** Free bytes for unprivileged writers in `dir`, or null when unknown. */
export async function freeBytes(dir: string): Promise<number | null> {
  try {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** Below this, a broken output is put down to a full disk. */
export const DISK_FULL_BYTES = 1024 * 1024;

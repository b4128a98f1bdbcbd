/**
 * Which names the library watcher looks at: video files (the library's extensions), never hidden
 * files or folders (`.quarantine`, rsync's `.name.XXXXXX` temporaries) and never names of files
 * still being written by a browser, a torrent client, a copy tool or one of our own jobs.
 */
import { isVideoFileName } from '../../../shared/domain/library';

/** Suffixes of files still being written: `*.part`, `*.crdownload`, `*.!qB`, `*.tmp`, `*.download`, `*.partial`. */
const IN_PROGRESS_SUFFIX = /\.(?:part|crdownload|!qb|tmp|download|partial|filepart)$/i;

/** A name of a file that is still being written (ours are `name.<job>-a<n>.partial.ext`). */
export function isInProgressName(name: string): boolean {
  return IN_PROGRESS_SUFFIX.test(name) || name.includes('.partial.');
}

/** Hidden: the watcher neither enters such a folder nor registers such a file. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.');
}

/** A file name the watcher may register. */
export function isWatchedFileName(name: string): boolean {
  return !isHiddenName(name) && !isInProgressName(name) && isVideoFileName(name);
}

/** Whether a library-relative path crosses a hidden folder (or is a hidden file). */
export function hasHiddenSegment(relativePath: string): boolean {
  return relativePath.split('/').some(isHiddenName);
}

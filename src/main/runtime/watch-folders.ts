/**
 * The watched folders as configured → what the watcher watches: inside the library (a folder that
 * leads out, through `..` or a symbolic link, is refused when saved and skipped when run), without
 * folders nested in another watched one, each with its real path, its file system and how it is
 * watched (`auto`: polling on network file systems, native events elsewhere).
 */
import { realpathSync, statSync } from 'node:fs';
import { AppError } from '../../shared/contracts/errors';
import type { VideoDirectory } from '../../shared/domain/library';
import type { WatchSettings } from '../../shared/contracts/watch';
import type { LibraryPaths } from '../library/library-paths';
import { isNetworkFsType, mountOf, type MountEntry } from '../library/watch/mount-types';

export interface ResolvedFolder {
  readonly folder: string;
  /** The video folder it is in (its first segment): the directoryType of the videos found there. */
  readonly directoryType: VideoDirectory;
  /** Null when it cannot be watched (`error` says why). */
  readonly realPath: string | null;
  readonly mode: 'native' | 'polling';
  readonly fsType: string | null;
  readonly error: string | null;
}

/** Refuses folders that lead outside the library (400 VALIDATION_FAILED naming each). */
export function requireFoldersInLibrary(library: LibraryPaths, folders: readonly string[]): void {
  const issues: Array<{ path: string; message: string }> = [];
  folders.forEach((folder, i) => {
    try {
      library.resolve(folder);
    } catch {
      issues.push({ path: `folders.${i}`, message: `"${folder}" is outside the library` });
    }
  });
  if (issues.length > 0) {
    throw new AppError('VALIDATION_FAILED', `Invalid watch settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues, reason: 'outside_library' });
  }
}

/** The folders without those inside another one of them (watched through it already). */
export function outermostFolders(folders: readonly string[]): string[] {
  const kept: string[] = [];
  for (const f of [...new Set(folders)].sort((a, b) => a.length - b.length)) {
    if (!kept.some((k) => f === k || f.startsWith(`${k}/`))) kept.push(f);
  }
  return kept.sort();
}

export function resolveWatchFolders(library: LibraryPaths, settings: WatchSettings, mounts: readonly MountEntry[]): ResolvedFolder[] {
  return outermostFolders(settings.folders).map((folder) => {
    const directoryType = folder.split('/')[0] as VideoDirectory;
    const fallbackMode = settings.mode === 'polling' ? 'polling' : 'native';
    let realPath: string;
    try {
      realPath = realpathSync(library.resolve(folder));
    } catch (error) {
      const why = error instanceof AppError ? 'it is outside the library' : 'it does not exist';
      return { folder, directoryType, realPath: null, mode: fallbackMode, fsType: null, error: `Not watched: ${why}.` };
    }
    if (!statSync(realPath, { throwIfNoEntry: false })?.isDirectory()) {
      return { folder, directoryType, realPath: null, mode: fallbackMode, fsType: null, error: 'Not watched: it is not a folder.' };
    }
    const fsType = mountOf(realPath, mounts)?.fsType ?? null;
    const mode = settings.mode === 'auto' ? (fsType !== null && isNetworkFsType(fsType) ? 'polling' : 'native') : settings.mode;
    return { folder, directoryType, realPath, mode, fsType, error: null };
  });
}

/**
 * File events of the watched folders, from chokidar: native events (inotify: one watch per folder
 * and per file, no CPU while nothing changes) or polling (a stat of every file and folder each
 * interval, compared in libuv, not in JavaScript; for network shares, where another machine's
 * writes raise no event). Hidden folders and files, names of files still being written and
 * non-video files are never watched. Symbolic links are not followed (a link's own events come
 * through; the caller resolves it and ignores one that leads out of the library).
 *
 * Events carry library-relative paths (the folder as configured + the path below it).
 */
import { FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { basename, relative, sep } from 'node:path';
import { hasHiddenSegment, isInProgressName, isWatchedFileName } from './watch-names';

export interface WatchedFolder {
  /** Library-relative, as configured. */
  readonly folder: string;
  /** Its real absolute path (symbolic links resolved). */
  readonly realPath: string;
  readonly polling: boolean;
}

export interface FolderEventHandlers {
  /** A file was added or changed (stats when chokidar had them). */
  readonly onFile: (relativePath: string, stats: Stats | undefined) => void;
  /** A file or folder went away. */
  readonly onGone: (relativePath: string, wasFolder: boolean) => void;
  readonly onError: (error: Error & { code?: string }, polling: boolean) => void;
}

export class FolderEvents {
  private readonly watchers: FSWatcher[] = [];

  private constructor(private readonly folders: readonly WatchedFolder[]) {}

  /** Starts watching and resolves once the initial walk is done (events before it are not emitted). */
  static async open(folders: readonly WatchedFolder[], pollIntervalMs: number, handlers: FolderEventHandlers): Promise<FolderEvents> {
    const events = new FolderEvents(folders);
    const groups = [folders.filter((f) => !f.polling), folders.filter((f) => f.polling)];
    try {
      for (const group of groups) {
        if (group.length === 0) continue;
        const polling = group[0]!.polling;
        const watcher = new FSWatcher({
          persistent: false, // the watcher never keeps the process alive on its own
          ignoreInitial: true, // the watcher's start-up pass compares the folders with the store itself
          followSymlinks: false,
          ignorePermissionErrors: true,
          usePolling: polling,
          // every file is "binary" to chokidar (video extensions): both intervals are the poll interval
          interval: pollIntervalMs,
          binaryInterval: pollIntervalMs,
          ignored: (path: string, stats?: Stats) => events.ignored(path, stats),
        });
        events.watchers.push(watcher);
        watcher.on('add', (p, s) => events.file(p, s, handlers));
        watcher.on('change', (p, s) => events.file(p, s, handlers));
        watcher.on('unlink', (p) => events.gone(p, false, handlers));
        watcher.on('unlinkDir', (p) => events.gone(p, true, handlers));
        watcher.on('error', (error) => handlers.onError(error as Error & { code?: string }, polling));
        const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
        watcher.add(group.map((f) => f.realPath));
        await ready;
      }
    } catch (error) {
      await events.close();
      throw error;
    }
    return events;
  }

  async close(): Promise<void> {
    await Promise.all(this.watchers.splice(0).map((w) => w.close()));
  }

  /** The library-relative path of an absolute path under one of the folders (the deepest), or null. */
  toRelative(absolutePath: string): string | null {
    let best: WatchedFolder | null = null;
    for (const f of this.folders) {
      if ((absolutePath === f.realPath || absolutePath.startsWith(`${f.realPath}${sep}`)) && (!best || f.realPath.length > best.realPath.length)) best = f;
    }
    if (!best) return null;
    const below = relative(best.realPath, absolutePath).split(sep).join('/');
    return below === '' ? best.folder : `${best.folder}/${below}`;
  }

  private ignored(path: string, stats?: Stats): boolean {
    const rel = this.toRelative(path);
    if (rel === null) return false; // a watched root itself, spelled another way
    const name = basename(path);
    if (hasHiddenSegment(rel) || isInProgressName(name)) return true;
    return stats !== undefined && stats.isFile() && !isWatchedFileName(name);
  }

  private file(path: string, stats: Stats | undefined, handlers: FolderEventHandlers): void {
    const rel = this.toRelative(path);
    if (rel !== null && isWatchedFileName(basename(path))) handlers.onFile(rel, stats);
  }

  private gone(path: string, wasFolder: boolean, handlers: FolderEventHandlers): void {
    const rel = this.toRelative(path);
    if (rel !== null) handlers.onGone(rel, wasFolder);
  }
}

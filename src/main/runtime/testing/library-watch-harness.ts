/**
 * Test and bench support: a real library watcher on a temp library and SQLite file, probing with
 * the real ffprobe, recording every LibraryVideoEvent with the time it arrived. Settings are saved
 * (as PUT would) before it starts; `restart()` stops it and starts a new one on the same folders.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatchSettings } from '../../../shared/contracts/watch';
import { systemClock } from '../../core/clock';
import { LibraryPaths } from '../../library/library-paths';
import type { MountEntry } from '../../library/watch/mount-types';
import { probeVideo } from '../../processors/library/probe-video';
import { openSqliteStores, type SqliteStores } from '../../storage/sqlite/open-sqlite-stores';
import type { LibraryVideoEvent } from '../library-video-events';
import { LibraryWatcher, WATCH_SETTINGS_KEY } from '../library-watcher';
import { DEFAULT_WATCH_SETTINGS } from '../watch-config';
import { waitFor } from './test-runtime';

export interface WatchHarness {
  readonly dir: string;
  readonly library: LibraryPaths;
  readonly stores: SqliteStores;
  readonly watcher: LibraryWatcher;
  /** Every event so far, with performance.now() when it arrived. */
  readonly events: Array<LibraryVideoEvent & { readonly receivedAt: number }>;
  readonly errors: string[];
  /** The first event of this type for this library-relative path, waited for. */
  waitForEvent(path: string, type?: LibraryVideoEvent['type'], timeoutMs?: number): Promise<LibraryVideoEvent & { readonly receivedAt: number }>;
  /** Stops the watcher; start() again starts a new one on the same library and database. */
  restart(settings?: Partial<WatchSettings>): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export interface WatchHarnessOptions {
  readonly settings?: Partial<WatchSettings>;
  readonly mounts?: () => readonly MountEntry[];
  readonly ffprobePath?: string;
  /** An existing folder to use (its library and database are kept). */
  readonly dir?: string;
  /** Don't start (the caller adds files first). */
  readonly stopped?: boolean;
}

export async function startWatchHarness(options: WatchHarnessOptions = {}): Promise<WatchHarness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'mjc-watch-'));
  const library = new LibraryPaths(join(dir, 'library'));
  library.ensureDirectories();
  const stores = openSqliteStores(join(dir, 'media-jobs.db'));
  const events: Array<LibraryVideoEvent & { receivedAt: number }> = [];
  const errors: string[] = [];
  const ffprobePath = options.ffprobePath ?? (process.env.MEDIA_FFPROBE_PATH || 'ffprobe');
  const make = () => {
    const watcher = new LibraryWatcher({
      library,
      settings: stores.settings,
      files: stores.videoFiles,
      videos: stores.videos,
      probe: (absolutePath, signal) => probeVideo({ absolutePath, ffprobePath, signal }),
      parallelism: 2,
      ...(options.mounts ? { mounts: options.mounts } : {}),
      defaults: DEFAULT_WATCH_SETTINGS,
      nodeId: 'watch-node',
      holder: 'watch-node#1',
      leaseMs: 30_000,
      renewMs: 5_000,
      clock: systemClock,
      logger: { info() {}, warn() {}, error: (...args: unknown[]) => void errors.push(args.map(String).join(' ')) },
    });
    watcher.observeVideos((e) => events.push({ ...e, receivedAt: performance.now() }));
    return watcher;
  };
  const save = (settings: Partial<WatchSettings>) => stores.settings.writeSetting(WATCH_SETTINGS_KEY, { ...DEFAULT_WATCH_SETTINGS, ...settings }, Date.now());
  await save(options.settings ?? {});
  let watcher = make();
  const start = async () => {
    watcher.start();
    await watcher.ready();
    await watcher.activeSession?.settled();
  };
  if (!options.stopped) await start();
  const harness: WatchHarness = {
    dir,
    library,
    stores,
    get watcher() {
      return watcher;
    },
    events,
    errors,
    waitForEvent: (path, type = 'video.registered', timeoutMs = 15_000) => waitFor(() => events.find((e) => e.video.path === path && e.type === type), timeoutMs, `${type} of ${path}`),
    async restart(settings) {
      await watcher.stop();
      if (settings) await save({ ...options.settings, ...settings });
      watcher = make();
      await start();
    },
    stop: () => watcher.stop(),
    async dispose() {
      await watcher.stop();
      await stores.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

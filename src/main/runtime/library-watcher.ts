/**
 * The library watcher: a start/stop service that keeps one WatchSession running while this node
 * should watch — watching is enabled, and this node holds the 'library-watcher' leader lease (in a
 * fleet one node watches the shared library; embedded, the only node does).
 *
 * Settings live in the database (SettingsStore, key 'library.watch'); until someone saves them the
 * MEDIA_WATCH* defaults apply. update() (PUT /api/media/watch) validates and saves them and
 * restarts the session at once; in a fleet the leader notices settings saved through another node
 * at its next lease renewal. Changes of state are serialised (one reconcile at a time).
 */
import { hostname } from 'node:os';
import { AppError } from '../../shared/contracts/errors';
import { watchSettingsSchema, type WatchSettings, type WatchSettingsInput, type WatchState } from '../../shared/contracts/watch';
import type { VideoStore } from '../core/library-ports';
import type { Clock, TimerHandle, Timers } from '../core/clock';
import { systemTimers } from './services/timers';
import type { RuntimeService } from './services/service';
import type { LeaderLeaseStore, SettingsStore, VideoFileIndex } from '../core/watch-ports';
import type { LibraryPaths } from '../library/library-paths';
import { readMounts, type MountEntry } from '../library/watch/mount-types';
import type { MediaProber } from '../processors/library/register-videos';
import type { RuntimeConfig } from './config';
import { LeaderLease } from './leader-lease';
import { LibraryVideoEvents, type LibraryVideoListener } from './library-video-events';
import { WatchSession } from './library-watch-session';
import { requireFoldersInLibrary } from './watch-folders';
import { SettingsRowGuard } from './settings-row-guard';

export const WATCH_SETTINGS_KEY = 'library.watch';
export const WATCHER_LEASE = 'library-watcher';

/** What the composition root hands the watcher (besides the video store, clock and logger). */
export interface LibraryWatchDeps {
  readonly library: LibraryPaths;
  readonly settings: SettingsStore;
  readonly files: VideoFileIndex;
  /** Fleet: the leader leases; null or absent when embedded (always the leader). */
  readonly leases?: LeaderLeaseStore | null;
  readonly probe: MediaProber;
  /** Files probed at once (the node's cpu slots). */
  readonly parallelism: number;
  /** The mount table (/proc/mounts by default; tests pass another). */
  readonly mounts?: () => readonly MountEntry[];
}

export interface LibraryWatcherOptions extends LibraryWatchDeps {
  readonly videos: VideoStore;
  readonly defaults: WatchSettings;
  readonly nodeId: string;
  /** This process (node id + instance): the lease's holder. */
  readonly holder: string;
  /** Fleet: the lease's length and renewal (the job leases' timing). */
  readonly leaseMs: number;
  readonly renewMs: number;
  readonly clock: Clock;
  readonly timers?: Timers;
  readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
}

export class LibraryWatcher implements RuntimeService {
  readonly name = 'library watcher';
  private readonly videoEvents = new LibraryVideoEvents();
  private readonly lease: LeaderLease;
  private session: WatchSession | null = null;
  private current: { settings: WatchSettings; source: 'stored' | 'defaults'; updatedAt: number | null };
  private readonly row = new SettingsRowGuard();
  private running = false;
  private queue: Promise<void> = Promise.resolve();
  private startError: string | null = null;
  private settingsTimer: TimerHandle | null = null;
  private readonly timers: Timers;

  constructor(private readonly options: LibraryWatcherOptions) {
    this.timers = options.timers ?? systemTimers;
    this.current = { settings: options.defaults, source: 'defaults', updatedAt: null };
    this.lease = new LeaderLease({
      name: WATCHER_LEASE,
      holder: options.holder,
      store: options.leases ?? null,
      ttlMs: options.leaseMs,
      renewMs: options.renewMs,
      clock: options.clock,
      timers: this.timers,
      logger: options.logger,
      onChange: () => void this.reconcile(),
    });
  }

  /** Hears every video the watcher registers, sees change or marks missing (pipelines' file_added). */
  observeVideos(listener: LibraryVideoListener): () => void {
    return this.videoEvents.observe(listener);
  }

  /**
   * Starts in the background: the first session's walk of the folders may take seconds on a big
   * library, and the runtime's start does not wait for it (ready() does).
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.queue = this.queue.then(() => this.loadSettings().then(
      () => undefined,
      (error: unknown) => this.options.logger.error('Could not read the watch settings (using the defaults):', error),
    ));
    this.lease.start();
    if (this.options.leases) this.renewWatch();
    void this.reconcile();
  }

  /** Resolves once the changes asked so far are applied (a session started: its events are on). */
  async ready(): Promise<void> {
    await this.queue;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.settingsTimer !== null) this.timers.clearTimeout(this.settingsTimer);
    this.settingsTimer = null;
    await this.reconcile(); // the session ends before the lease is given up: never two watchers by our doing
    await this.lease.stop();
  }

  async state(): Promise<WatchState> {
    // what is stored now (another node of a fleet may have saved since this one's last read), applied as a renewal would
    // not awaited: a restarted session's first walk of the library must not hold the answer
    if (await this.loadSettings().catch(() => false)) void this.reconcile(true);
    const leaderHolder = this.options.leases ? (this.lease.isLeader ? this.options.holder : await this.options.leases.leaseHolder(WATCHER_LEASE).catch(() => this.lease.holder)) : this.options.holder;
    const session = this.session?.status();
    return {
      settings: this.current.settings,
      source: this.current.source,
      status: {
        active: this.session !== null,
        leaderNodeId: leaderHolder === null ? null : nodeOf(leaderHolder),
        folders: session?.folders ?? [],
        pendingFiles: session?.pendingFiles ?? 0,
        lastError: session?.lastError ?? this.startError,
      },
    };
  }

  /** Saves settings (fields left out keep their values) and applies them at once. */
  async update(input: WatchSettingsInput): Promise<WatchState> {
    // merged into the row stored at the write (compare and set), not into this node's last read
    const saved = await this.row.save(this.options.settings, WATCH_SETTINGS_KEY, () => this.options.clock.now(), (row) => {
      const stored = row ? watchSettingsSchema.safeParse(row.value) : null;
      // a row that is not valid was ignored by loadSettings(): this node's settings stand in for it
      const merged = watchSettingsSchema.safeParse({ ...(stored?.success ? stored.data : this.current.settings), ...dropUndefined(input) });
      if (!merged.success) throw new AppError('VALIDATION_FAILED', `Invalid watch settings: ${merged.error.message}`);
      requireFoldersInLibrary(this.options.library, merged.data.folders);
      return merged.data;
    });
    this.current = { settings: saved.value, source: 'stored', updatedAt: saved.updatedAt };
    await this.reconcile(true);
    return this.state();
  }

  /** The session now (tests and the bench wait for its start-up pass). */
  get activeSession(): WatchSession | null {
    return this.session;
  }

  /** Fleet: re-reads the stored settings every lease renewal, so a PUT through any node reaches the leader. */
  private renewWatch(): void {
    this.settingsTimer = this.timers.setTimeout(
      () =>
        this.loadSettings()
          .then((changed) => (changed ? this.reconcile(true) : undefined))
          .catch(() => undefined)
          .finally(() => this.running && this.renewWatch()),
      this.options.renewMs,
    );
  }

  /** Reads the stored settings; true when they differ from the ones in use. */
  private async loadSettings(): Promise<boolean> {
    const read = await this.row.reading(() => this.options.settings.readSetting(WATCH_SETTINGS_KEY));
    // stale: this node's own update, newer, overlapped the read; same: unchanged since the last read
    if (read.kind !== 'new' || !read.row) return false;
    const stored = read.row;
    const parsed = watchSettingsSchema.safeParse(stored.value);
    if (!parsed.success) {
      this.options.logger.warn(`The stored watch settings are not valid (using the defaults): ${parsed.error.message}`);
      return false;
    }
    this.current = { settings: parsed.data, source: 'stored', updatedAt: stored.updatedAt };
    return true;
  }

  /** Starts, stops or restarts the session to match: running, leader and enabled. */
  private reconcile(restart = false): Promise<void> {
    this.queue = this.queue.then(() => this.applyState(restart)).catch((error: unknown) => this.options.logger.error('The library watcher could not change state:', error));
    return this.queue;
  }

  private async applyState(restart: boolean): Promise<void> {
    const wanted = this.running && this.lease.isLeader && this.current.settings.enabled;
    if (this.session && (!wanted || restart || this.session.settings !== this.current.settings)) {
      const old = this.session;
      this.session = null;
      await old.stop();
    }
    if (wanted && !this.session) {
      const session = new WatchSession(this.current.settings, {
        library: this.options.library,
        videos: this.options.videos,
        files: this.options.files,
        probe: this.options.probe,
        parallelism: this.options.parallelism,
        clock: this.options.clock,
        timers: this.timers,
        mounts: this.options.mounts ?? (() => readMounts()),
        logger: this.options.logger,
        onVideo: (event) => this.videoEvents.emit(event),
      });
      try {
        await session.start();
        this.session = session;
        this.startError = null;
      } catch (error) {
        this.startError = `Could not watch the library folders: ${error instanceof Error ? error.message : String(error)}`;
        this.options.logger.error(this.startError);
        await session.stop();
      }
    }
  }
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The node id of a lease holder (`node#instance`). */
function nodeOf(holder: string): string {
  const hash = holder.lastIndexOf('#');
  return hash > 0 ? holder.slice(0, hash) : holder;
}

/** The holder name of this process: node id and instance. */
export function watcherHolder(nodeId: string, instanceId: string | undefined): string {
  return `${nodeId}#${instanceId ?? `${hostname()}-${process.pid}`}`;
}

/** The watcher of a runtime, or null where it has no library to watch (tests that build a bare runtime). */
export function createLibraryWatcher(
  watch: LibraryWatchDeps | undefined,
  ctx: {
    readonly videos: VideoStore;
    readonly config: Pick<RuntimeConfig, 'watch' | 'nodeId' | 'fleet'>;
    readonly instanceId: string | undefined;
    readonly clock: Clock;
    readonly timers: Timers;
    readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
  },
): LibraryWatcher | null {
  if (!watch) return null;
  const { config } = ctx;
  return new LibraryWatcher({
    ...watch,
    videos: ctx.videos,
    defaults: config.watch,
    nodeId: config.nodeId,
    holder: watcherHolder(config.nodeId, ctx.instanceId),
    leaseMs: config.fleet.leaseMs,
    renewMs: config.fleet.heartbeatMs,
    clock: ctx.clock,
    timers: ctx.timers,
    logger: ctx.logger,
  });
}

/**
 * One run of the library watcher with one set of settings (the watcher starts a new one when the
 * settings change or this node becomes the leader, and stops it otherwise).
 *
 * 1. Watch: file events of the folders (native or polling, per folder); a video file added or
 *    changed becomes a candidate of the stability gate; one that vanished is marked missing.
 * 2. Start-up pass: each folder is compared with the store (what changed while nobody watched):
 *    files not known, or known with another size or mtime, become candidates; videos whose file is
 *    gone are marked missing.
 * 3. When a candidate's quiet period (`stableSeconds`) is over, it is looked at again: the same
 *    size and mtime and readable → registered and probed the way a scan does it (register-videos.ts),
 *    and a LibraryVideoEvent is sent. Changed → it waits again.
 *
 * Every write is idempotent (add by path, set values), so a second watcher for a moment (a leader
 * change in a fleet) costs a duplicate probe at worst.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { WatchSettings } from '../../shared/contracts/watch';
import type { VideoDirectory } from '../../shared/domain/library';
import type { VideoRecord, VideoStore } from '../core/library-ports';
import type { Clock, TimerHandle, Timers } from '../core/clock';
import type { VideoFileIndex } from '../core/watch-ports';
import type { LibraryPaths } from '../library/library-paths';
import { FolderEvents } from '../library/watch/folder-events';
import type { MountEntry } from '../library/watch/mount-types';
import { StabilityGate, type FileSignature } from '../library/watch/stability-gate';
import { isWatchedFileName } from '../library/watch/watch-names';
import { addFoundFiles, probeAndRecord, type MediaProber } from '../processors/library/register-videos';
import { forEachBounded } from '../processors/library/bounded-parallel';
import { walkVideos } from '../processors/library/walk-videos';
import type { LibraryVideoEvent } from './library-video-events';
import { resolveWatchFolders, type ResolvedFolder } from './watch-folders';

export interface WatchSessionDeps {
  readonly library: LibraryPaths;
  readonly videos: VideoStore;
  readonly files: VideoFileIndex;
  readonly probe: MediaProber;
  /** Files probed at once. */
  readonly parallelism: number;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly mounts: () => readonly MountEntry[];
  readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
  readonly onVideo: (event: LibraryVideoEvent) => void;
}

interface CandidateMeta {
  readonly folder: ResolvedFolder;
  /** When the watcher first saw it (a row created since then by a scan is still news). */
  readonly firstSeenAt: number;
}

const signatureOf = (s: { size: number; mtimeMs: number }): FileSignature => ({ sizeBytes: s.size, mtimeMs: Math.round(s.mtimeMs) });

export class WatchSession {
  private readonly gate: StabilityGate<CandidateMeta>;
  private readonly abort = new AbortController();
  private folders: ResolvedFolder[];
  private events: FolderEvents | null = null;
  private timer: TimerHandle | null = null;
  private pumping: Promise<void> | null = null;
  private startupPass: Promise<void> | null = null;
  private lastError: string | null = null;

  constructor(
    readonly settings: WatchSettings,
    private readonly deps: WatchSessionDeps,
  ) {
    this.gate = new StabilityGate(settings.stableSeconds * 1000);
    this.folders = resolveWatchFolders(deps.library, settings, deps.mounts());
  }

  async start(): Promise<void> {
    for (const f of this.folders) if (f.error) this.deps.logger.warn(`Watched folder ${f.folder}: ${f.error}`);
    const watched = this.folders.filter((f) => !f.error).map((f) => `${f.folder} (${f.mode === 'polling' ? `polling every ${this.settings.pollIntervalSeconds} s` : 'file events'})`);
    this.deps.logger.info(`Watching ${watched.join(', ') || 'no folder'}; a new or changed video is registered once unchanged for ${this.settings.stableSeconds} s.`);
    await this.openEvents();
    // events first, then the pass: a file that arrives in between is seen by one or the other
    this.startupPass = this.compareWithStore().catch((error: unknown) => this.fail('The start-up pass of the watched folders failed', error));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.events?.close();
    this.events = null;
    await this.startupPass;
    await this.pumping?.catch(() => undefined);
  }

  /** Waits for the start-up pass (tests, bench). */
  async settled(): Promise<void> {
    await this.startupPass;
  }

  status() {
    return {
      folders: this.folders.map(({ folder, mode, fsType, error }) => ({ folder, mode, fsType, error })),
      pendingFiles: this.gate.size,
      lastError: this.lastError,
    };
  }

  private async openEvents(): Promise<void> {
    const watched = this.folders.filter((f) => f.realPath !== null).map((f) => ({ folder: f.folder, realPath: f.realPath!, polling: f.mode === 'polling' }));
    if (watched.length === 0) return;
    this.events = await FolderEvents.open(watched, this.settings.pollIntervalSeconds * 1000, {
      onFile: (rel, stats) => void this.seen(rel, stats).catch((error: unknown) => this.fail(`Could not look at ${rel}`, error)),
      onGone: (rel, wasFolder) => void this.gone(rel, wasFolder).catch((error: unknown) => this.fail(`Could not mark ${rel} missing`, error)),
      onError: (error, polling) => void this.eventError(error, polling),
    });
  }

  /** inotify out of watches (ENOSPC) or descriptors: watch every folder by polling instead of missing files. */
  private async eventError(error: Error & { code?: string }, polling: boolean): Promise<void> {
    if (this.abort.signal.aborted) return;
    if (!polling && (error.code === 'ENOSPC' || error.code === 'EMFILE')) {
      if (this.folders.every((f) => f.mode === 'polling')) return;
      this.deps.logger.warn(`File events are exhausted (${error.code}: raise fs.inotify.max_user_watches): polling the watched folders every ${this.settings.pollIntervalSeconds} s instead.`);
      this.folders = this.folders.map((f) => ({ ...f, mode: 'polling' }));
      await this.events?.close();
      this.events = null;
      if (this.abort.signal.aborted) return;
      await this.openEvents().catch((e: unknown) => this.fail('Could not poll the watched folders', e));
      // what changed while events were failing: the start-up pass again
      const before = this.startupPass;
      this.startupPass = (async () => {
        await before;
        await this.compareWithStore().catch((e: unknown) => this.fail('The pass over the watched folders failed', e));
      })();
      return;
    }
    this.fail('A watched folder reported an error', error);
  }

  private folderOf(rel: string): ResolvedFolder | null {
    return this.folders.find((f) => f.realPath !== null && (rel === f.folder || rel.startsWith(`${f.folder}/`))) ?? null;
  }

  private async seen(rel: string, stats?: { size: number; mtimeMs: number; isFile(): boolean }): Promise<void> {
    const folder = this.folderOf(rel);
    if (!folder || this.abort.signal.aborted) return;
    let s: { size: number; mtimeMs: number; isFile(): boolean } | null = stats?.isFile() ? stats : null;
    if (!s) {
      // a symbolic link (not followed by the events): only one that stays inside the library counts
      const abs = insideLibrary(this.deps.library, rel);
      s = abs === null ? null : await stat(abs).catch(() => null);
    }
    if (!s?.isFile()) return;
    const now = this.deps.clock.now();
    this.gate.observe(rel, signatureOf(s), now, { folder, firstSeenAt: now });
    this.schedule();
  }

  private async gone(rel: string, wasFolder: boolean): Promise<void> {
    if (wasFolder) this.gate.forgetUnder(rel);
    else this.gate.forget(rel);
    const folder = this.folderOf(rel);
    if (!folder) return;
    const at = this.deps.clock.now();
    for (const video of await this.deps.files.markPathsMissing([rel], at, wasFolder)) this.deps.onVideo({ type: 'video.missing', video, folder: folder.folder, at });
  }

  /** The start-up pass: each folder against the store. */
  private async compareWithStore(): Promise<void> {
    for (const folder of this.folders) {
      if (folder.realPath === null || this.abort.signal.aborted) continue;
      const found = (await walkVideos(this.deps.library, folder.folder, this.abort.signal)).filter((f) => isWatchedFileName(basename(f.relativePath)));
      const known = new Map((await this.deps.files.listVideoFiles(folder.folder)).map((e) => [e.path, e]));
      const now = this.deps.clock.now();
      for (const f of found) {
        const k = known.get(f.relativePath);
        if (k && !k.missing && k.sizeBytes === f.sizeBytes && k.mtimeMs === f.mtimeMs && k.probedAt !== null) continue;
        this.gate.observe(f.relativePath, { sizeBytes: f.sizeBytes, mtimeMs: f.mtimeMs }, now, { folder, firstSeenAt: now });
      }
      const present = new Set(found.map((f) => f.relativePath));
      const gone = [...known.values()].filter((e) => !e.missing && !present.has(e.path)).map((e) => e.path);
      for (const video of await this.deps.files.markPathsMissing(gone, now)) this.deps.onVideo({ type: 'video.missing', video, folder: folder.folder, at: now });
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.abort.signal.aborted || this.pumping) return; // a pump reschedules when it ends
    const next = this.gate.nextDueAt();
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
    if (next === null) return;
    this.timer = this.deps.timers.setTimeout(() => this.pump(), Math.max(0, next - this.deps.clock.now()) + 5);
  }

  private pump(): void {
    this.timer = null;
    this.pumping = this.registerDue()
      .catch((error: unknown) => this.fail('Registering watched files failed', error))
      .finally(() => {
        this.pumping = null;
        this.schedule();
      });
  }

  private async registerDue(): Promise<void> {
    const due = this.gate.due(this.deps.clock.now());
    await forEachBounded(due, this.deps.parallelism, this.abort.signal, async ({ path, meta }) => {
      try {
        await this.registerIfStable(path, meta);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.gate.forget(path);
        this.fail(`Could not register ${path}`, error);
      }
    });
  }

  private async registerIfStable(rel: string, meta: CandidateMeta): Promise<void> {
    const abs = insideLibrary(this.deps.library, rel);
    if (abs === null) {
      this.gate.forget(rel);
      return;
    }
    const s = await stat(abs).catch(() => null);
    if (!s?.isFile()) {
      this.gate.forget(rel); // gone again (its unlink event marks it missing)
      return;
    }
    const now = this.deps.clock.now();
    if (this.gate.confirm(rel, signatureOf(s), now) !== 'stable') return;
    if (!(await readable(abs))) {
      this.gate.observe(rel, signatureOf(s), now, meta);
      this.gate.postpone(rel, now);
      return;
    }
    await this.register(rel, meta, signatureOf(s));
  }

  private async register(rel: string, meta: CandidateMeta, sig: FileSignature): Promise<void> {
    const { videos, files } = this.deps;
    const now = this.deps.clock.now();
    const file = { relativePath: rel, sizeBytes: sig.sizeBytes, mtimeMs: sig.mtimeMs };
    let type: LibraryVideoEvent['type'] = 'video.registered';
    let toProbe: VideoRecord[] = await addFoundFiles(videos, meta.folder.directoryType as VideoDirectory, [file], now);
    if (toProbe.length === 0) {
      const known = await videos.getVideoByPath(rel);
      if (!known) return;
      if (known.missing || known.sizeBytes !== sig.sizeBytes || known.mtimeMs !== sig.mtimeMs) {
        // a file that changed (or came back) keeps its id; it is probed again
        if (known.createdAt < meta.firstSeenAt) type = 'video.changed';
        toProbe = [await files.recordFileChange(known.id, sig.sizeBytes, sig.mtimeMs, now)];
      } else if (known.probedAt === null) {
        toProbe = [known]; // added by a scan that has not probed it yet
      } else {
        // registered and probed by a scan while it waited here: news all the same when that row is new
        if (known.createdAt >= meta.firstSeenAt) this.deps.onVideo({ type: 'video.registered', video: known, folder: meta.folder.folder, at: now });
        return;
      }
    }
    await probeAndRecord({ videos, library: this.deps.library, probe: this.deps.probe, parallelism: 1 }, toProbe, this.abort.signal, (outcome) => {
      if (!outcome.ok) this.deps.logger.warn(`Watched file ${rel} is not a readable video: ${outcome.reason}`);
      this.deps.onVideo({ type, video: outcome.video, folder: meta.folder.folder, at: this.deps.clock.now() });
    });
  }

  private fail(what: string, error: unknown): void {
    if (this.abort.signal.aborted) return;
    this.lastError = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    this.deps.logger.error(this.lastError);
  }
}

/** The absolute path, or null for a path whose symbolic links lead out of the library (never read). */
function insideLibrary(library: LibraryPaths, rel: string): string | null {
  try {
    return library.resolve(rel);
  } catch {
    return null;
  }
}

/** Readable now: opened and its first byte read (a file locked or without permission waits). */
async function readable(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.read(Buffer.alloc(1), 0, 1, 0);
      return true;
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

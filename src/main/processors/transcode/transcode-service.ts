/**
 * What the runtime and the transcode processor share about library transcoding: the create-time
 * loop breaker (409 ALREADY_PROCESSED), the savings computed from the ledger, a job's result, a
 * video's history and restore, recovery of swaps left half done by a dead attempt, and the quarantine
 * sweep (originals past MEDIA_QUARANTINE_DAYS deleted). A start/stop service: start() recovers what
 * this node left (after the runtime rescued its jobs) and runs the sweep every `sweepIntervalMs`.
 *
 * Recovery runs one at a time in this process (a transcode attempt recovers before it starts, and
 * must not race the start-up recovery over the same journal rows).
 */
import { rm } from 'node:fs/promises';
import { AppError } from '../../../shared/contracts/errors';
import { TRANSCODE_OUTCOMES, type JobResult, type Savings, type VideoTranscodes } from '../../../shared/contracts/transcode';
import type { JobRecord, NewJob } from '../../core/ports';
import type { OpenTranscode, SavingsGroupBy, SavingsRow, TranscodeStore } from '../../core/transcode-ports';
import type { VideoStore } from '../../core/library-ports';
import type { LibraryPaths } from '../../library/library-paths';
import { cachedFingerprint, type ContentFingerprint } from '../../library/content-fingerprint';
import { savedPercent } from './proof';
import { recoverSwap, restoreOriginal } from './restore';
import { QUARANTINE_DIR } from './swap';
import { identityOf, pruneEmptyFolders } from './swap-files';
import { settingsKey } from './transcode-settings';
import { twinAhead } from './transcode-twins';

/** What the operations of the runtime need (runtime/operations.ts). */
export interface TranscodeOperations {
  guardCreate(job: NewJob): Promise<void>;
  savings(groupBy: SavingsGroupBy): Promise<Savings>;
  jobResult(jobId: string): Promise<JobResult>;
  videoTranscodes(videoId: string): Promise<VideoTranscodes>;
  restore(videoId: string): Promise<{ videoId: string; path: string; sizeBytes: number; videoCodec: string | null }>;
}

export interface TranscodeServiceDeps {
  readonly store: TranscodeStore;
  readonly videos: VideoStore;
  readonly library: LibraryPaths;
  readonly nodeId: string;
  /** Days a replaced original stays in .quarantine/ (MEDIA_QUARANTINE_DAYS). */
  readonly quarantineDays: number;
  /** Other nodes share the store: only this node's restores are its to recover at start. */
  readonly sharedStore: boolean;
  /** The GPU a hardware encode ran on (the ledger's `gpu`). */
  readonly gpuName?: () => string | null;
  readonly now?: () => number;
  readonly sweepIntervalMs?: number;
  readonly logger?: Pick<Console, 'warn' | 'error'>;
}

const ISO = (ms: number) => new Date(ms).toISOString();

export function emptySavings(groupBy: SavingsGroupBy): Savings {
  return { groupBy, total: totalsOf([]), groups: [] };
}

function totalsOf(rows: readonly SavingsRow[]): Savings['total'] {
  const outcomes = Object.fromEntries(TRANSCODE_OUTCOMES.map((o) => [o, 0])) as Savings['total']['outcomes'];
  let bytesSaved = 0;
  let grossBytesSaved = 0;
  for (const r of rows) {
    outcomes[r.outcome] += r.entries;
    if (r.outcome === 'replaced' || r.outcome === 'restored') bytesSaved += r.bytesSaved;
    if (r.outcome === 'replaced') grossBytesSaved += r.bytesSaved;
  }
  return { bytesSaved, grossBytesSaved, filesReplaced: outcomes.replaced - outcomes.restored, outcomes };
}

export class TranscodeService implements TranscodeOperations {
  private recovering: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(readonly deps: TranscodeServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  get store(): TranscodeStore {
    return this.deps.store;
  }

  async start(): Promise<void> {
    await this.recover(this.deps.sharedStore ? { nodeId: this.deps.nodeId } : {});
    await this.sweepQuarantine().catch((error: unknown) => this.deps.logger?.error('Quarantine sweep failed:', error));
    const every = this.deps.sweepIntervalMs ?? 10 * 60_000;
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.recover()
          .then(() => this.sweepQuarantine())
          .catch((error: unknown) => this.deps.logger?.error('Quarantine sweep failed:', error))
          .finally(() => this.timer !== null && tick());
      }, every);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.recovering.catch(() => undefined);
  }

  /**
   * Finishes or undoes the swaps of attempts that no longer own their job (and, with `restoresOf`,
   * the restores that node left); one at a time in this process. A swap that cannot be recovered
   * now keeps its journal row for the next time, and is logged.
   */
  recover(restoresOf?: { readonly nodeId?: string }): Promise<void> {
    const run = this.recovering.then(async () => {
      for (const journal of await this.deps.store.abandonedSwaps(restoresOf)) {
        try {
          const what = await recoverSwap(this.deps.library, this.deps.store, journal);
          this.deps.logger?.warn(`Swap recovery: ${what}`);
        } catch (error) {
          this.deps.logger?.error(`Swap recovery of ${journal.originalPath} failed (tried again later):`, error);
        }
      }
    });
    this.recovering = run.catch(() => undefined);
    return run;
  }

  /** The video file's fingerprint, cached by size and mtime. */
  async fingerprint(videoId: string, absolutePath: string): Promise<ContentFingerprint> {
    return cachedFingerprint(absolutePath, await this.deps.store.fingerprintOf(videoId), (f) => this.deps.store.recordFingerprint({ videoId, ...f }));
  }

  gpuName(): string | null {
    return this.deps.gpuName?.() ?? null;
  }

  get quarantineDays(): number {
    return this.deps.quarantineDays;
  }

  /** The loop breaker at create time: these settings were applied to (or tried on) this content. */
  async guardCreate(job: NewJob): Promise<void> {
    if (job.type !== 'transcode' || job.params.force === true || typeof job.params.videoId !== 'string') return;
    const video = await this.deps.videos.getVideo(job.params.videoId);
    if (!video) return;
    let fingerprint: ContentFingerprint;
    try {
      fingerprint = await this.fingerprint(video.id, this.deps.library.resolve(video.path));
    } catch {
      return; // a missing file fails in the job, with its reason
    }
    const mark = await this.deps.store.findMark(fingerprint.fingerprint, settingsKey(job.type, job.params));
    if (!mark) return;
    throw new AppError(
      'ALREADY_PROCESSED',
      `These transcode settings were already applied to (or tried on) this content by job ${mark.jobId} (${mark.outcome}); pass "force": true to run them again.`,
      { videoId: video.id, jobId: mark.jobId, outcome: mark.outcome, at: ISO(mark.at) },
    );
  }

  /**
   * A transcode job not ended, with the same settings on the same video, that started before `job`
   * (transcode-twins.ts): `job` then ends skipped rather than encode the file a second time at once.
   * The create-time check cannot see twins (no mark until one ends).
   */
  async twinAhead(job: Pick<JobRecord, 'id' | 'seq' | 'type' | 'params' | 'startedAt'>, key: string): Promise<OpenTranscode | undefined> {
    const videoId = job.params.videoId;
    if (job.type !== 'transcode' || typeof videoId !== 'string') return undefined;
    const open = await this.deps.store.openTranscodesOf(videoId);
    return twinAhead({ id: job.id, seq: job.seq, startedAt: job.startedAt ?? Number.POSITIVE_INFINITY }, key, open, (t) => settingsKey('transcode', t.params));
  }

  async savings(groupBy: SavingsGroupBy): Promise<Savings> {
    const rows = await this.deps.store.savings(groupBy);
    const keys = [...new Set(rows.map((r) => r.key))];
    const groups = keys.map((key) => ({ key, ...totalsOf(rows.filter((r) => r.key === key)) }));
    groups.sort((a, b) => (groupBy === 'day' ? a.key.localeCompare(b.key) : b.bytesSaved - a.bytesSaved || a.key.localeCompare(b.key)));
    return { groupBy, total: totalsOf(rows), groups };
  }

  async jobResult(jobId: string): Promise<JobResult> {
    const e = await this.deps.store.ledgerOfJob(jobId);
    if (!e) throw new AppError('NOT_FOUND', `Job ${jobId} has no result yet (only transcode and re-encode jobs write one, when they end).`, { jobId });
    return {
      jobId, jobType: e.jobType, videoId: e.videoId, outcome: e.outcome, reason: e.reason, mode: e.mode, bytesIn: e.bytesIn, bytesOut: e.bytesOut,
      savedPercent: e.bytesOut === null ? null : Math.round(savedPercent(e.bytesIn, e.bytesOut) * 10) / 10, codecIn: e.codecIn, codecOut: e.codecOut,
      encoder: e.encoder, nodeId: e.nodeId, gpu: e.gpu, wallMs: e.wallMs, checks: [...e.checks], at: ISO(e.at),
    };
  }

  async videoTranscodes(videoId: string): Promise<VideoTranscodes> {
    if (!(await this.deps.videos.getVideo(videoId))) throw new AppError('NOT_FOUND', `No video with id ${videoId}.`, { videoId });
    const [q, history] = await Promise.all([this.deps.store.activeQuarantine(videoId, this.now()), this.deps.store.historyOf(videoId)]);
    return {
      videoId,
      quarantined: q
        ? { path: q.quarantinePath, originalPath: q.originalPath, sizeBytes: q.sizeBytes, videoCodec: q.videoCodec, jobId: q.jobId, quarantinedAt: ISO(q.quarantinedAt), expiresAt: ISO(q.expiresAt) }
        : null,
      history: history.map((h) => ({ ...h, at: ISO(h.at) })).map(({ videoId: _v, ...h }) => h),
    };
  }

  async restore(videoId: string): Promise<{ videoId: string; path: string; sizeBytes: number; videoCodec: string | null }> {
    await this.recover();
    const video = await restoreOriginal({ store: this.deps.store, videos: this.deps.videos, library: this.deps.library, nodeId: this.deps.nodeId, now: this.now }, videoId);
    return { videoId, path: video.path, sizeBytes: video.sizeBytes ?? 0, videoCodec: video.videoCodec };
  }

  /** Deletes originals past their time in quarantine (only the very file quarantined); returns how many. */
  async sweepQuarantine(): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = await this.deps.store.expiredQuarantine(this.now(), 100);
      for (const q of batch) {
        let path: string | null = null;
        try {
          path = this.deps.library.resolve(q.quarantinePath);
        } catch {
          // outside the library: never touched
        }
        if (path && (await identityOf(path)) === q.identity) {
          await rm(path, { force: true });
          await pruneEmptyFolders(path, this.deps.library.resolve(QUARANTINE_DIR));
          removed += 1;
        }
        await this.deps.store.dropQuarantine(q.id);
      }
      if (batch.length < 100) return removed;
    }
  }
}

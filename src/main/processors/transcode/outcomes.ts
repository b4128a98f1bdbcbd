/**
 * How a transcode ends, said once: a ledger row (the job's result and the savings' source), the
 * content mark that stops the same settings running on the same content again, and the log line.
 * A replace's row and marks are written by its fenced commit instead (swap.ts), so a replace that
 * did not happen is never counted. withFailureLedger() closes the last gap: a job that fails before
 * it reads its input (no such video, a missing file, a probe or encoder start that fails) still
 * leaves a `failed` row, with the bytes in as far as they are known.
 */
import type { TranscodeCheck, TranscodeOutcome } from '../../../shared/contracts/transcode';
import type { ContentMark, LedgerEntry, TranscodeStore } from '../../core/transcode-ports';
import type { VideoRecord, VideoStore } from '../../core/library-ports';
import { JobError, type JobContext, type Processor } from '../processor';

export interface OutcomeFacts {
  readonly encoder?: string | null;
  readonly codecOut?: string | null;
  readonly bytesOut?: number | null;
  readonly checks?: readonly TranscodeCheck[];
  readonly gpu?: string | null;
}

export const folderOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.');

export class TranscodeOutcomes {
  /** The input's content fingerprint, once taken (marks need it). */
  fingerprint: string | null = null;
  settingsKey: string | null = null;

  constructor(
    private readonly ctx: JobContext,
    private readonly store: TranscodeStore | undefined,
    private readonly input: VideoRecord,
    private readonly mode: 'copy' | 'replace',
    private readonly startedAt: number,
    private readonly codecIn: string | null,
    private readonly bytesIn: number,
    /** The codec asked for: the row's codec_out when the ending made no output (skipped, kept, failed). */
    private readonly targetCodec: string | null = null,
  ) {}

  /** The ledger row of this outcome (also what a replace's commit writes). */
  entry(outcome: TranscodeOutcome, reason: string | null, f: OutcomeFacts = {}): LedgerEntry {
    return {
      at: Date.now(), jobId: this.ctx.job.id, jobType: this.ctx.job.type, videoId: this.input.id, folder: folderOf(this.input.path),
      nodeId: this.ctx.job.nodeId ?? 'unknown', gpu: f.gpu ?? null, encoder: f.encoder ?? null, mode: this.mode, codecIn: this.codecIn,
      codecOut: f.codecOut ?? this.targetCodec, bytesIn: this.bytesIn, bytesOut: f.bytesOut ?? null, wallMs: Date.now() - this.startedAt, outcome, reason, checks: [...(f.checks ?? [])],
    };
  }

  /** The mark of this outcome on `fingerprint` (the input's unless said). */
  mark(outcome: TranscodeOutcome, fingerprint = this.fingerprint): ContentMark | null {
    if (!fingerprint || !this.settingsKey) return null;
    return { fingerprint, settingsKey: this.settingsKey, jobId: this.ctx.job.id, outcome, at: Date.now() };
  }

  async skipped(reason: string, options: { mark?: boolean } = {}): Promise<void> {
    await this.finish('skipped', reason, {}, options.mark ?? true);
  }

  async keptOriginal(reason: string, f: OutcomeFacts = {}): Promise<void> {
    await this.finish('kept_original', reason, f, true);
  }

  async copied(f: OutcomeFacts, outputFingerprint: string | null): Promise<void> {
    await this.finish('copied', null, f, true);
    const out = this.mark('copied', outputFingerprint);
    if (out) await this.store?.recordMark(out);
  }

  /** A broken encode: counted in the ledger, never marked (a retry or a later job may succeed). */
  async failed(reason: string, f: OutcomeFacts = {}): Promise<void> {
    await this.store?.appendLedger(this.entry('failed', reason, f)).catch(() => undefined);
  }

  private async finish(outcome: TranscodeOutcome, reason: string | null, f: OutcomeFacts, mark: boolean): Promise<void> {
    await this.store?.appendLedger(this.entry(outcome, reason, f));
    const m = mark ? this.mark(outcome) : null;
    if (m) await this.store?.recordMark(m);
    this.ctx.progress(100);
    this.ctx.log(`Outcome: ${outcome}${reason ? ` — ${reason}` : ''}`);
  }
}

/** What a failure row says about the job beyond its video: read from the job's params. */
export interface FailureLedgerShape {
  readonly videoId: (params: Record<string, unknown>) => string | null;
  readonly mode: (params: Record<string, unknown>) => 'copy' | 'replace';
  /** The codec asked for (the row's codec_out: there is no output). */
  readonly codecOut: (params: Record<string, unknown>) => string | null;
}

/**
 * A failure the ledger counts, as the encode's own rows do: a JobError (the job fails or is retried),
 * not a cancel or shutdown (the signal), nor an attempt that lost its job to another (fenced), nor
 * an ending that is no failure (a segmented encode handing its work to child jobs).
 */
const counted = (ctx: JobContext, error: unknown): boolean => error instanceof JobError && !ctx.signal.aborted && !/^Not published/.test(error.message);

/**
 * `processor` with a ledger row for every failed attempt: when the attempt throws a counted failure
 * and wrote no row of its own (its row's `at` is not from this attempt), a `failed` row is written
 * with the reason and what the library row knows (bytes in, codec in, folder; 0 bytes and no folder
 * when the video is gone). It saves nothing (bytes_out null), so the savings totals are unchanged.
 * A failure to write the row never hides the job's own error.
 */
export function withFailureLedger(processor: Processor, store: TranscodeStore | undefined, videos: VideoStore, shape: FailureLedgerShape): Processor {
  if (!store) return processor;
  return {
    async run(ctx) {
      const startedAt = Date.now();
      try {
        await processor.run(ctx);
      } catch (error) {
        if (counted(ctx, error)) await recordFailure(ctx, store, videos, shape, startedAt, error).catch(() => undefined);
        throw error;
      }
    },
  };
}

async function recordFailure(ctx: JobContext, store: TranscodeStore, videos: VideoStore, shape: FailureLedgerShape, startedAt: number, error: unknown): Promise<void> {
  const own = await store.ledgerOfJob(ctx.job.id);
  if (own && own.at >= startedAt) return;
  const params = ctx.job.params as Record<string, unknown>;
  const videoId = shape.videoId(params);
  const video = videoId ? await videos.getVideo(videoId).catch(() => undefined) : undefined;
  await store.appendLedger({
    at: Date.now(), jobId: ctx.job.id, jobType: ctx.job.type, videoId, folder: video ? folderOf(video.path) : '.', nodeId: ctx.job.nodeId ?? 'unknown',
    gpu: null, encoder: null, mode: shape.mode(params), codecIn: video?.videoCodec ?? null, codecOut: shape.codecOut(params), bytesIn: video?.sizeBytes ?? 0,
    bytesOut: null, wallMs: Date.now() - startedAt, outcome: 'failed', reason: error instanceof Error ? error.message : String(error), checks: [],
  });
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A `transcode` job's failure rows: its video, mode and target codec. */
export const TRANSCODE_FAILURES: FailureLedgerShape = {
  videoId: (p) => str(p.videoId),
  mode: (p) => (p.mode === 'replace' ? 'replace' : 'copy'),
  codecOut: (p) => str(p.codec),
};

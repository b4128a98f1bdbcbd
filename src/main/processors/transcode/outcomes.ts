/**
 * How a transcode ends, said once: a ledger row (the job's result and the savings' source), the
 * content mark that stops the same settings running on the same content again, and the log line.
 * A replace's row and marks are written by its fenced commit instead (swap.ts), so a replace that
 * did not happen is never counted.
 */
import type { TranscodeCheck, TranscodeOutcome } from '../../../shared/contracts/transcode';
import type { ContentMark, LedgerEntry, TranscodeStore } from '../../core/transcode-ports';
import type { VideoRecord } from '../../core/library-ports';
import type { JobContext } from '../processor';

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

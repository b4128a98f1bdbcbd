/**
 * reencode_streaming's rows in the savings ledger: a re-encode writes a copy (into playback/), so
 * it saves nothing, but its bytes, codecs, encoder and wall time are counted like a transcode's
 * (outcome `copied`, or `failed` for an encode that broke).
 */
import type { TranscodeStore } from '../../core/transcode-ports';
import type { VideoRecord } from '../../core/library-ports';
import { JobError, type JobContext } from '../processor';
import { TranscodeOutcomes, type FailureLedgerShape } from './outcomes';

export interface ReencodeLedger {
  copied(encoder: string, output: VideoRecord | null): Promise<void>;
  /** Records a JobError (not a cancel) and rethrows. */
  failed(encoder: string | null, error: unknown): Promise<never>;
}

export function reencodeLedger(ctx: JobContext, store: TranscodeStore | undefined, input: VideoRecord, startedAt: number): ReencodeLedger {
  const outcomes = new TranscodeOutcomes(ctx, store, input, 'copy', startedAt, input.videoCodec, input.sizeBytes ?? 0, 'h264');
  const gpu = (encoder: string | null) => (encoder && encoder !== 'libx264' ? encoder.replace(/^h264_/, '') : null);
  return {
    async copied(encoder, output) {
      if (!store) return;
      await store.appendLedger(outcomes.entry('copied', null, { encoder, gpu: gpu(encoder), codecOut: output?.videoCodec ?? 'h264', bytesOut: output?.sizeBytes ?? null }));
    },
    async failed(encoder, error) {
      if (store && error instanceof JobError && !ctx.signal.aborted) await outcomes.failed(error.message, { encoder, gpu: gpu(encoder), codecOut: 'h264' });
      throw error;
    },
  };
}

/** A `reencode_streaming` job's failure rows (outcomes.ts withFailureLedger): a copy to H.264. */
export const REENCODE_FAILURES: FailureLedgerShape = {
  videoId: (p) => (typeof p.videoId === 'string' ? p.videoId : null),
  mode: () => 'copy',
  codecOut: () => 'h264',
};

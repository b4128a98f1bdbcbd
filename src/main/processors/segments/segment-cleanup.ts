/**
 * Removes a segmented encode's work folder once its parent has ended for good: after a run that
 * returned (replaced, copied, kept_original, skipped), failed without a retry, or was cancelled. A
 * hand-off, a shutdown, a failed part and a retryable failure keep the chunks (a retry reuses them). What a crash or a
 * retry-exhausted failure leaves behind, the cleaner removes (runtime/segments/work-folders.ts).
 */
import { existsSync } from 'node:fs';
import { JobError, type Processor } from '../processor';
import type { MediaDeps } from '../steps/media-deps';
import { removeWorkDir, workDirOf } from './segment-files';
import { PART_FAILED } from './segmented-transcode';

export function withSegmentCleanup(media: MediaDeps, processor: Processor): Processor {
  return {
    async run(ctx) {
      const work = media.library.resolve(workDirOf(ctx.job.id));
      try {
        await processor.run(ctx);
      } catch (error) {
        // a failed part keeps the others: a retry of the parent encodes only that part again
        const failed = error instanceof JobError && !error.retryable && !ctx.signal.aborted && !error.message.startsWith(PART_FAILED);
        const cancelled = ctx.signal.aborted && /cancel/.test(String((ctx.signal.reason as Error | undefined)?.message));
        const final = failed || cancelled;
        if (final && existsSync(work)) await removeWorkDir(work);
        throw error;
      }
      if (existsSync(work)) {
        await removeWorkDir(work);
        ctx.log(`Segment mode: work folder ${workDirOf(ctx.job.id)} removed`);
      }
    },
  };
}

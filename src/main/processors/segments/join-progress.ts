/**
 * The parent of a segmented encode shows one progress bar that never goes backwards (#20): while
 * its parts run, the runtime aggregates them into 0–PARTS_SHARE % (runtime/segments/chunk-progress.ts);
 * its join run (the chunk checks, the concat, the output checks, publishing) then reports its own
 * 0–100 % into the rest, PARTS_SHARE–100 %. Without this the join restarted at 0 % after the parts
 * had shown 97 %.
 */
import type { JobContext } from '../processor';

/** The share of the parent's progress its parts fill (the join and the checks take the rest). */
export const PARTS_SHARE = 90;

/** `percent` of the join run as the parent's progress. Pure. */
export const joinPercent = (percent: number): number => PARTS_SHARE + ((100 - PARTS_SHARE) * Math.max(0, Math.min(100, percent))) / 100;

/**
 * Makes every progress report of this attempt (the parent's join run: whatever step reports it, in
 * whatever range the processor chose) land in the join's share. The attempt's context is this run's
 * own, so the mapping ends with it.
 */
export function reportAsJoin(ctx: JobContext): void {
  const report = ctx.progress.bind(ctx);
  ctx.progress = (percent) => report(joinPercent(percent));
  report(PARTS_SHARE);
}

/**
 * The pipeline's "NVENC on another GPU" step (gpu-pipeline.ts) runs only once the store has moved
 * the job there: its VRAM reservation and NVENC session go with it, and only when that GPU has room
 * under its VRAM budget and session cap now (JobStore.moveAttemptToGpu). Otherwise the step is
 * skipped with the reason, so a fall-back never over-commits the other GPU.
 */
import type { JobContext } from '../processor';
import type { PipelineStep } from './gpu-pipeline';

/** Null: the step may run (moved, or it needs no move); else why it is skipped. */
export async function moveForStep(ctx: JobContext, step: PipelineStep): Promise<string | null> {
  if (step.kind !== 'other_gpu' || step.gpu === null || step.gpu.index === null) return null;
  if (!ctx.moveToGpu) return 'this runtime cannot re-place the job on another GPU';
  const result = await ctx.moveToGpu(step.gpu.index);
  if (!result.moved) return result.reason;
  ctx.log(`Moved to GPU ${result.gpuIndex}: the job's VRAM reservation and NVENC session are held there now`);
  return null;
}

/**
 * Before a software step (every GPU step before it failed or was skipped): the job gives up the GPU
 * it was placed on, its VRAM reservation and NVENC session, so other jobs can use them for the rest
 * of a software encode that may take hours. A step that still decodes on the GPU keeps it.
 */
export async function releaseForStep(ctx: JobContext, step: PipelineStep): Promise<void> {
  if (step.kind !== 'software' || !ctx.releaseGpu) return;
  const held = ctx.job.gpuIndex;
  if ((held === null || held === undefined) && !(ctx.job.vramReserved > 0)) return;
  if (await ctx.releaseGpu()) ctx.log(`Released ${held === null || held === undefined ? 'the VRAM reservation' : `GPU ${held}`}: encoding in software, its VRAM and NVENC session are free for other jobs`);
}

/** The log line of a skipped step (stable: tests and users grep for "Step skipped"). Pure. */
export function skippedLine(step: PipelineStep, reason: string): string {
  return `Step skipped: ${step.label} (${reason})`;
}

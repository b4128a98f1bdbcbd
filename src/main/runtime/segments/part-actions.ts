/**
 * A segmented encode is one job to the user (#20): its parts (encode_chunk, encode_audio) take no
 * manual action of their own. Cancel, pause, resume, priority and retry go to the parent, whose
 * cascade (segment-cascade.ts, through the store, not through these operations) acts on the parts;
 * a part acted on alone would leave the parent's wait and its chunk counts out of step.
 */
import { AppError } from '../../../shared/contracts/errors';
import { isSegmentChild } from '../../../shared/domain/job-types';
import type { JobRecord } from '../../core/ports';

/** Throws 409 PART_OF_SEGMENTED_JOB for a part of a segmented encode. */
export function refusePartAction(job: JobRecord | undefined, verb: string): void {
  if (!job || !isSegmentChild(job.type)) return;
  const parent = job.parentJobId ?? 'unknown';
  throw new AppError('PART_OF_SEGMENTED_JOB', `Job ${job.id} is a part of a segmented encode; it cannot ${verb} on its own: act on the parent job ${parent}.`, { jobId: job.id, parentJobId: job.parentJobId ?? null });
}

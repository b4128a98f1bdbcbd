/**
 * Retention (pure): which ended jobs the cleaner deletes. Completed and cancelled jobs go when they
 * ended more than `completedDays` ago, failed ones after `failedDays`; 0 keeps that kind forever.
 * "Ended" is completed_at (the time the job reached its final status).
 */
import { isFinalStatus, type JobStatus } from '../../shared/domain/statuses';
import type { PruneRequest } from './ports';

export interface RetentionDays {
  /** Completed and cancelled jobs; 0 keeps them forever. */
  readonly completedDays: number;
  /** Failed jobs; 0 keeps them forever. */
  readonly failedDays: number;
}

export type RetentionCutoffs = Pick<PruneRequest, 'completedBefore' | 'failedBefore'>;

const DAY_MS = 86_400_000;

export function retentionCutoffs(now: number, days: RetentionDays): RetentionCutoffs {
  return {
    completedBefore: days.completedDays > 0 ? now - days.completedDays * DAY_MS : null,
    failedBefore: days.failedDays > 0 ? now - days.failedDays * DAY_MS : null,
  };
}

/** Whether a job with this status, ended at `endedAt`, is past its retention. */
export function isExpired(status: JobStatus, endedAt: number | null, cutoffs: RetentionCutoffs): boolean {
  if (!isFinalStatus(status) || endedAt === null) return false;
  const before = status === 'failed' ? cutoffs.failedBefore : cutoffs.completedBefore;
  return before !== null && endedAt < before;
}

/** The later of the two cutoffs; null when both kinds are kept forever (nothing to clean). */
export function laterCutoff(cutoffs: RetentionCutoffs): number | null {
  const set = [cutoffs.completedBefore, cutoffs.failedBefore].filter((c): c is number => c !== null);
  return set.length === 0 ? null : Math.max(...set);
}

import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/contracts/errors';
import { JOB_STATUSES, type JobStatus } from '../../shared/domain/statuses';
import { canTransition, nextStatus, TRANSITIONS, type LifecycleAction } from './lifecycle';

/** The whole allowed table, written out by hand: any change to the lifecycle must change this too. */
const ALLOWED: Record<LifecycleAction, Partial<Record<JobStatus, JobStatus>>> = {
  lookAt: { pending: 'queued' },
  start: { pending: 'running', queued: 'running' },
  complete: { running: 'completed' },
  fail: { running: 'failed' },
  scheduleRetry: { running: 'queued' },
  interrupt: { running: 'pending' },
  recover: { running: 'queued' },
  cancel: { pending: 'cancelled', queued: 'cancelled', running: 'cancelled', paused: 'cancelled' },
  requestCancel: { running: 'running', paused: 'paused' },
  finishCancel: { running: 'cancelled', paused: 'cancelled' },
  pause: { pending: 'paused', queued: 'paused' },
  suspend: { running: 'paused' },
  resume: { paused: 'pending' },
  resumeSuspended: { paused: 'running' },
  retry: { failed: 'pending', cancelled: 'pending' },
  setPriority: { pending: 'pending', queued: 'queued', paused: 'paused' },
};

const cases = (Object.keys(TRANSITIONS) as LifecycleAction[]).flatMap((action) =>
  JOB_STATUSES.map((status) => ({ action, status, expected: ALLOWED[action][status] })),
);

describe('lifecycle transition table', () => {
  it.each(cases)('$action from $status → $expected', ({ action, status, expected }) => {
    expect(canTransition(status, action)).toBe(expected !== undefined);
    if (expected) {
      expect(nextStatus(status, action)).toBe(expected);
    } else {
      let thrown: unknown;
      try {
        nextStatus(status, action);
      } catch (error) {
        thrown = error;
      }
      expect(isAppError(thrown) && thrown.code === 'INVALID_TRANSITION').toBe(true);
      expect((thrown as Error).message).toMatch(new RegExp(`^Cannot .+ a job that is ${status} \\(only .+ can be\\)\\.$`));
    }
  });

  it('never leaves a final status except by a manual retry', () => {
    for (const final of ['completed', 'failed', 'cancelled'] as const) {
      const exits = (Object.keys(TRANSITIONS) as LifecycleAction[]).filter((a) => canTransition(final, a));
      expect(exits).toEqual(final === 'completed' ? [] : ['retry']);
    }
  });
});

/**
 * The lifecycle table's functions agree with the table (cases generated from it, never typed again
 * by hand), and the table keeps the properties the rest of the system relies on.
 */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/contracts/errors';
import { FINAL_STATUSES, JOB_STATUSES, LIVE_STATUSES, STATUS_CLASS, WAITING_STATUSES, type JobStatus } from '../../shared/domain/statuses';
import { cancelActionFor, canTransition, LIFECYCLE_ACTIONS, nextStatus, statusesFor, targetOf, TRANSITIONS, type LifecycleAction } from './lifecycle';

const cases = LIFECYCLE_ACTIONS.flatMap((action) => JOB_STATUSES.map((status) => ({ action, status, allowed: TRANSITIONS[action].from.includes(status) })));

const exits = (status: JobStatus): LifecycleAction[] => LIFECYCLE_ACTIONS.filter((a) => canTransition(status, a));

describe('lifecycle transition table', () => {
  it.each(cases)('$action from $status (allowed: $allowed)', ({ action, status, allowed }) => {
    expect(canTransition(status, action)).toBe(allowed);
    if (allowed) {
      expect(nextStatus(status, action)).toBe(targetOf(action) ?? status);
      return;
    }
    let thrown: unknown;
    try {
      nextStatus(status, action);
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown) && thrown.code === 'INVALID_TRANSITION').toBe(true);
    expect((thrown as Error).message).toMatch(new RegExp(`^Cannot .+ a job that is ${status} \\(only .+ can be\\)\\.$`));
  });

  it('names only known statuses, each action applying to at least one', () => {
    for (const action of LIFECYCLE_ACTIONS) {
      expect(statusesFor(action).length).toBeGreaterThan(0);
      for (const s of statusesFor(action)) expect(JOB_STATUSES).toContain(s);
      const to = targetOf(action);
      if (to !== null) expect(JOB_STATUSES).toContain(to);
    }
  });

  it('classes every status once: waiting, live, paused or final', () => {
    expect(Object.keys(STATUS_CLASS).sort()).toEqual([...JOB_STATUSES].sort());
    expect(LIVE_STATUSES).toEqual(['running', 'suspended']);
    expect(WAITING_STATUSES).toEqual(['pending', 'queued']);
    expect([...LIVE_STATUSES, ...WAITING_STATUSES, ...FINAL_STATUSES, 'paused'].sort()).toEqual([...JOB_STATUSES].sort());
  });

  it('never leaves a final status except by a manual retry', () => {
    for (const final of FINAL_STATUSES) expect(exits(final)).toEqual(final === 'completed' ? [] : ['retry']);
  });

  it('starts only waiting jobs, and every attempt outcome applies to both live statuses alike', () => {
    expect(statusesFor('start')).toEqual(WAITING_STATUSES);
    for (const outcome of ['complete', 'fail', 'scheduleRetry', 'interrupt', 'recover', 'requestCancel', 'finishCancel'] as const) {
      expect(statusesFor(outcome)).toEqual(LIVE_STATUSES);
    }
  });

  it('leaves the live class only through an attempt outcome (a slot is never dropped by a user action)', () => {
    const outcomes = new Set<LifecycleAction>(['complete', 'fail', 'scheduleRetry', 'interrupt', 'recover', 'finishCancel']);
    for (const live of LIVE_STATUSES) {
      for (const action of exits(live)) {
        const to = nextStatus(live, action);
        expect(STATUS_CLASS[to] === 'live' || outcomes.has(action), `${action} from ${live}`).toBe(true);
      }
    }
  });

  it('suspends and resumes in pairs: running ⇄ suspended, waiting → paused → pending', () => {
    expect(nextStatus(nextStatus('running', 'suspend'), 'resumeSuspended')).toBe('running');
    for (const waiting of WAITING_STATUSES) expect(nextStatus(nextStatus(waiting, 'pause'), 'resume')).toBe('pending');
  });

  it('lets every job that has not ended be cancelled: at once without an attempt, in two steps with one', () => {
    for (const status of JOB_STATUSES) {
      const expected = FINAL_STATUSES.includes(status) ? null : LIVE_STATUSES.includes(status) ? 'requestCancel' : 'cancel';
      expect(cancelActionFor(status), status).toBe(expected);
    }
  });
});

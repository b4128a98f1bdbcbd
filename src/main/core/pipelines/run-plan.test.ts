/** How a run moves on: ready steps, branch skips, reopening after a retry, and the run's status. */
import { describe, expect, it } from 'vitest';
import type { StepState } from '../pipeline-ports';
import { planRun, runStatusOf, stepStateOfJob, type PlanState, type PlanStep } from './run-plan';

const STEPS: PlanStep[] = [
  { id: 'validate' },
  { id: 'reencode', after: { step: 'validate', on: 'success' } },
  { id: 'thumb', after: { step: 'reencode', on: 'success' } },
  { id: 'fallback', after: { step: 'reencode', on: 'failure' } },
  { id: 'report', after: { step: 'reencode', on: 'always' } },
];

function states(entries: Record<string, StepState | 'skipped-if' | 'skipped-branch'>): Map<string, PlanState> {
  return new Map<string, PlanState>(
    STEPS.map((s): [string, PlanState] => {
      const v = entries[s.id] ?? 'waiting';
      if (v === 'skipped-if') return [s.id, { state: 'skipped', skipKind: 'condition' }];
      if (v === 'skipped-branch') return [s.id, { state: 'skipped', skipKind: 'branch' }];
      return [s.id, { state: v, skipKind: null }];
    }),
  );
}

const plan = (entries: Parameters<typeof states>[0]) => planRun(STEPS, states(entries)).map((d) => (d.kind === 'skip' ? `skip ${d.stepId}: ${d.reason}` : `${d.kind} ${d.stepId}`));

describe('run plan', () => {
  it('starts the first steps, and nothing else, at the start', () => {
    expect(plan({})).toEqual(['ready validate']);
    expect(plan({ validate: 'running' })).toEqual([]);
  });

  it('follows success, failure and always', () => {
    expect(plan({ validate: 'completed' })).toEqual(['ready reencode']);
    expect(plan({ validate: 'completed', reencode: 'completed' })).toEqual(['ready thumb', 'skip fallback: runs on failure of "reencode", which succeeded', 'ready report']);
    expect(plan({ validate: 'completed', reencode: 'failed' })).toEqual(['skip thumb: runs on success of "reencode", which failed', 'ready fallback', 'ready report']);
  });

  it('counts a step skipped by its own `if` as succeeded, and one skipped by its branch as not reached', () => {
    expect(plan({ validate: 'completed', reencode: 'skipped-if' })).toEqual(['ready thumb', 'skip fallback: runs on failure of "reencode", which succeeded', 'ready report']);
    expect(plan({ validate: 'failed' })).toEqual(['skip reencode: runs on success of "validate", which failed']);
    expect(plan({ validate: 'failed', reencode: 'skipped-branch' })).toEqual(['skip thumb: step "reencode" did not run', 'skip fallback: step "reencode" did not run', 'skip report: step "reencode" did not run']);
  });

  it('ends a branch at a cancelled step, always-steps included', () => {
    expect(plan({ validate: 'completed', reencode: 'cancelled' })).toEqual([
      'skip thumb: step "reencode" was cancelled',
      'skip fallback: step "reencode" was cancelled',
      'skip report: step "reencode" was cancelled',
    ]);
  });

  it('reopens branch-skipped steps when their parent runs again (a manual retry), then follows its new outcome', () => {
    const afterFailure = { validate: 'completed', reencode: 'running', thumb: 'skipped-branch', fallback: 'completed', report: 'completed' } as const;
    expect(plan(afterFailure)).toEqual(['wait thumb']);
    expect(plan({ ...afterFailure, reencode: 'completed', thumb: 'skipped-branch' })).toEqual(['ready thumb']);
    // a step skipped by its own `if` is never reopened
    expect(plan({ validate: 'running', reencode: 'skipped-if' })).not.toContain('wait reencode');
  });

  it('gives the run its status from its steps', () => {
    const status = (list: PlanState[]) => runStatusOf(list);
    expect(status([{ state: 'completed', skipKind: null }, { state: 'waiting', skipKind: null }])).toBe('running');
    expect(status([{ state: 'completed', skipKind: null }, { state: 'skipped', skipKind: 'branch' }])).toBe('completed');
    expect(status([{ state: 'failed', skipKind: null }, { state: 'completed', skipKind: null }])).toBe('failed');
    expect(status([{ state: 'failed', skipKind: null }, { state: 'cancelled', skipKind: null }])).toBe('cancelled');
  });

  it("maps a job's status to its step's state (a job waiting for a retry still runs)", () => {
    expect(['pending', 'queued', 'running', 'paused', 'completed', 'failed', 'cancelled'].map((s) => stepStateOfJob(s as never))).toEqual(['running', 'running', 'running', 'running', 'completed', 'failed', 'cancelled']);
  });
});

import { describe, expect, it } from 'vitest';
import { findHungJobs } from './hang-detection';
import { backoffDelayMs, decideAfterCrash, decideAfterFailure, DEFAULT_RETRY_POLICY } from './retry-policy';
import { computeVramBudget } from './vram-budget';

describe('retry policy', () => {
  it.each([
    { retryCount: 0, delayMin: 2 },
    { retryCount: 1, delayMin: 4 },
    { retryCount: 2, delayMin: 8 },
  ])('retry after failure $retryCount waits $delayMin minutes (the spec default)', ({ retryCount, delayMin }) => {
    expect(decideAfterFailure({ retryCount, maxRetries: 3, retryable: true, now: 1000 }, DEFAULT_RETRY_POLICY)).toEqual({
      kind: 'retry',
      retryCount: retryCount + 1,
      retryAfter: 1000 + delayMin * 60_000,
      reason: `retry ${retryCount + 1} of 3`,
    });
  });

  it('fails for good when retries are used up or the error cannot heal', () => {
    expect(decideAfterFailure({ retryCount: 3, maxRetries: 3, retryable: true, now: 0 }, DEFAULT_RETRY_POLICY)).toEqual({ kind: 'fail', reason: 'no retries left (3 of 3 used)' });
    expect(decideAfterFailure({ retryCount: 0, maxRetries: 3, retryable: false, now: 0 }, DEFAULT_RETRY_POLICY).kind).toBe('fail');
  });

  it('caps the backoff', () => {
    expect(backoffDelayMs(20, { baseDelayMs: 1000, maxDelayMs: 5000 })).toBe(5000);
  });

  it('re-queues a crashed job at once while retries remain', () => {
    expect(decideAfterCrash(0, 3)).toMatchObject({ kind: 'retry', retryCount: 1 });
    expect(decideAfterCrash(3, 3).kind).toBe('fail');
  });
});

describe('hang detection', () => {
  it('flags only jobs silent for at least the timeout', () => {
    const samples = [{ jobId: 'a', lastActivityAt: 0 }, { jobId: 'b', lastActivityAt: 500 }, { jobId: 'c', lastActivityAt: 1000 }];
    expect(findHungJobs(samples, 1500, 1000)).toEqual(['a', 'b']);
  });
});

describe('VRAM budget', () => {
  const base = { declaredMb: null, reservedByUsMb: 0, lastOthersMb: 0, headroomMb: 500 };
  it('uses a declared budget as is', () => {
    expect(computeVramBudget({ ...base, declaredMb: 16000, gpu: { totalMb: 80000, usedMb: 0 } }).budgetMb).toBe(16000);
  });
  it('is null without a GPU', () => {
    expect(computeVramBudget({ ...base, gpu: null }).budgetMb).toBeNull();
  });
  it('subtracts other programs and headroom while we hold nothing', () => {
    expect(computeVramBudget({ ...base, gpu: { totalMb: 24000, usedMb: 3000 } })).toEqual({ budgetMb: 20500, othersMb: 3000 });
  });
  it('never takes our own jobs’ unused reservation for free memory of others', () => {
    // we reserved 8000 but our jobs use only 1000 so far; others are known to use 3000
    const r = computeVramBudget({ ...base, gpu: { totalMb: 24000, usedMb: 4000 }, reservedByUsMb: 8000, lastOthersMb: 3000 });
    expect(r).toEqual({ budgetMb: 20500, othersMb: 3000 });
    // others grew while we run: seen as used beyond our reservation
    expect(computeVramBudget({ ...base, gpu: { totalMb: 24000, usedMb: 14000 }, reservedByUsMb: 8000, lastOthersMb: 3000 }).othersMb).toBe(6000);
  });
});

/**
 * What happens after a job fails: retry later with exponential backoff (2, 4, 8 minutes by
 * default) while retries remain and the error can heal, otherwise fail for good.
 */
export interface RetryPolicyConfig {
  /** Delay before the first automatic retry; doubles for each later one. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicyConfig = { baseDelayMs: 2 * 60_000, maxDelayMs: 60 * 60_000 };

export type FailureDecision =
  | { readonly kind: 'retry'; readonly retryCount: number; readonly retryAfter: number; readonly reason: string }
  | { readonly kind: 'fail'; readonly reason: string };

export interface FailedAttempt {
  readonly retryCount: number;
  readonly maxRetries: number;
  readonly retryable: boolean;
  readonly now: number;
}

export function backoffDelayMs(retriesDone: number, policy: RetryPolicyConfig): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retriesDone);
}

export function decideAfterFailure(attempt: FailedAttempt, policy: RetryPolicyConfig): FailureDecision {
  if (!attempt.retryable) return { kind: 'fail', reason: 'the error cannot heal by retrying' };
  if (attempt.retryCount >= attempt.maxRetries) {
    return { kind: 'fail', reason: `no retries left (${attempt.retryCount} of ${attempt.maxRetries} used)` };
  }
  const retryCount = attempt.retryCount + 1;
  const retryAfter = attempt.now + backoffDelayMs(attempt.retryCount, policy);
  return { kind: 'retry', retryCount, retryAfter, reason: `retry ${retryCount} of ${attempt.maxRetries}` };
}

/** After a crash the job did not fail by itself, but a job that keeps crashing the runtime must not loop forever. */
export function decideAfterCrash(retryCount: number, maxRetries: number): FailureDecision {
  if (retryCount >= maxRetries) {
    return { kind: 'fail', reason: `no retries left (${retryCount} of ${maxRetries} used)` };
  }
  return { kind: 'retry', retryCount: retryCount + 1, retryAfter: 0, reason: `retry ${retryCount + 1} of ${maxRetries}` };
}

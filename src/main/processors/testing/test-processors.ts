/**
 * Test-only processors (no media work): they let integration tests and the benchmark drive the
 * real runtime through every lifecycle path. Behaviour is chosen by the job's params:
 *   { sleepMs }             sleep, reporting progress, then succeed
 *   { fail: 'retryable' | 'fatal', failTimes? }  fail (the first `failTimes` attempts only, when given)
 *   { hang: true }          never report anything until aborted
 */
import { JobError, type JobContext, type Processor } from '../processor';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const noopProcessor: Processor = {
  async run() {},
};

export const scriptedProcessor: Processor = {
  async run(ctx: JobContext) {
    const p = ctx.job.params as { sleepMs?: number; fail?: 'retryable' | 'fatal'; failTimes?: number; hang?: boolean };
    if (p.hang) {
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));
    }
    const sleepMs = p.sleepMs ?? 0;
    const steps = sleepMs >= 50 ? 4 : 1;
    for (let i = 1; i <= steps; i++) {
      await sleep(sleepMs / steps, ctx.signal);
      ctx.progress((i / steps) * 100);
    }
    const failNow = p.fail && (p.failTimes === undefined || ctx.job.attempt <= p.failTimes);
    if (failNow) {
      ctx.log(`Scripted failure on attempt ${ctx.job.attempt}`);
      throw new JobError(`scripted ${p.fail} failure`, p.fail === 'retryable');
    }
  },
};

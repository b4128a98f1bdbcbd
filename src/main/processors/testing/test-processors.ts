/**
 * Test-only processors (no media work): they let integration tests and the benchmark drive the
 * real runtime through every lifecycle path. Behaviour is chosen by the job's params:
 *   { sleepMs }             sleep, reporting progress, then succeed
 *   { fail: 'retryable' | 'fatal', failTimes? }  fail (the first `failTimes` attempts only, when given)
 *   { hang: true }          never report anything until aborted
 */
import { childEnvironment } from '../../system/child-environment';
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

/**
 * Runs `sleep <seconds>` as a real child process, tracked by the runtime (PID recorded, suspend
 * and resume through SIGSTOP/SIGCONT), killed on abort. Params: { sleepSeconds }.
 */
export const childProcessProcessor: Processor = {
  async run(ctx: JobContext) {
    const { spawn } = await import('node:child_process');
    const seconds = String((ctx.job.params as { sleepSeconds?: number }).sleepSeconds ?? 30);
    const child = spawn('sleep', [seconds], { stdio: 'ignore', env: childEnvironment() });
    const untrack = ctx.trackProcess({
      pid: child.pid!,
      command: 'sleep',
      suspend: () => child.kill('SIGSTOP'),
      resume: () => child.kill('SIGCONT'),
    });
    ctx.log(`Started sleep ${seconds} as PID ${child.pid}`);
    const onAbort = () => child.kill('SIGTERM');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (exitCode) => resolve(exitCode));
      });
      ctx.signal.throwIfAborted();
      if (code !== 0) throw new JobError(`sleep exited with ${code}`, true);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      untrack();
    }
  },
};

/**
 * A started tool's result, awaited while the job tracks its process: pause/resume of the running
 * job reach it, and its PID is recorded so an orphan can be killed after a crash.
 */
import { runProcess, type RunProcessOptions, type RunResult } from '../media/process-runner';
import type { JobContext } from '../processor';

interface StartedTool<R> {
  readonly pid: number;
  readonly result: Promise<R>;
  suspend(): unknown;
  resume(): unknown;
}

export async function resultWhileTracked<R>(ctx: JobContext, command: string, running: StartedTool<R>): Promise<R> {
  const untrack = ctx.trackProcess({ pid: running.pid, command, suspend: () => void running.suspend(), resume: () => void running.resume() });
  try {
    return await running.result;
  } finally {
    untrack();
  }
}

/**
 * runProcess with the process tracked by the job while it runs (pause/resume reach it with
 * SIGSTOP/SIGCONT, its PID is recorded for orphan cleanup), untracked however it ends.
 */
export async function runTracked(ctx: JobContext, options: Omit<RunProcessOptions, 'onPid'>): Promise<RunResult> {
  let untrack: (() => void) | null = null;
  try {
    return await runProcess({
      ...options,
      onPid: (pid) => {
        untrack = ctx.trackProcess({ pid, command: options.command, suspend: () => process.kill(pid, 'SIGSTOP'), resume: () => process.kill(pid, 'SIGCONT') });
      },
    });
  } finally {
    (untrack as (() => void) | null)?.();
  }
}

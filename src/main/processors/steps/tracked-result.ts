/**
 * A started tool's result, awaited while the job tracks its process: pause/resume of the running
 * job reach it, and its PID is recorded so an orphan can be killed after a crash.
 */
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

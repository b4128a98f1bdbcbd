/**
 * This node's records of the tool processes its attempts run (job_processes): a row from the
 * moment a tool is tracked until it has exited, with its start time (field 22 of /proc/<pid>/stat),
 * so a restart after a crash kills exactly the tools that were left (orphans.ts) and never a
 * process that merely got one of their PIDs later.
 *
 * Why rows used to survive a clean shutdown: record and forget were fire-and-forget store calls,
 * so (1) on a pool of connections a short tool's forget could run before its record and leave the
 * row behind, and (2) a stop closed the store while forgets were still on their way (and a tool
 * that outlived its attempt's grace period was forgotten after the store had closed, or never).
 * Here the writes of one PID run in call order, close() waits for all of them, and then takes the
 * rows still left (tools still alive after the attempts' grace) and kills those tools, checked by
 * start time as after a crash: a clean stop leaves no rows and no tools.
 */
import type { JobStore, RecordedProcess } from '../core/ports';
import type { Clock } from '../core/clock';
import { readStartTicks } from '../processors/media/orphan-cleanup';
import type { TrackedProcess } from '../processors/processor';
import type { RuntimeService } from './services/service';

/** A service only for its stop (close): it records from construction, so tools started at any time are. */
export class ProcessBook implements RuntimeService {
  readonly name = 'process book';
  /** The last write of each PID, so the next one waits for it. */
  private readonly chains = new Map<number, Promise<void>>();
  /** After close(): the rows are taken already (and the store may be closed), nothing more is written. */
  private closed = false;

  constructor(
    private readonly store: JobStore,
    private readonly nodeId: string,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly logger: Pick<Console, 'warn' | 'error'>,
    private readonly killOrphans: (processes: readonly RecordedProcess[]) => Promise<number[]>,
  ) {}

  /** A tool of `jobId` runs: record it (its start time is read at once, while the PID is surely its own). */
  started(jobId: string, p: TrackedProcess): void {
    const startedAt = this.clock.now();
    const ticks = readStartTicks(p.pid);
    this.then(p.pid, async () => {
      await this.store.recordProcess({ pid: p.pid, jobId, command: p.command, nodeId: this.nodeId, startedAt, startTicks: await ticks });
    }, 'record');
  }

  /** The tool has exited: forget it (after its record, whatever the store's connections do). */
  ended(p: TrackedProcess): void {
    this.then(p.pid, () => this.store.forgetProcess(this.nodeId, p.pid), 'forget');
  }

  start(): void {}

  stop(): Promise<void> {
    return this.close();
  }

  /** Waits for every write issued so far. */
  async flush(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /**
   * A clean stop, after the attempts have ended: the writes land, then whatever is still recorded
   * for this node (a tool that outlived its attempt's grace period) is killed and its row removed.
   */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    try {
      const left = await this.store.takeRecordedProcesses(this.nodeId);
      if (left.length === 0) return;
      const killed = await this.killOrphans(left);
      this.logger.warn(`At stop, ${left.length} tool process(es) were still recorded (PIDs ${left.map((p) => p.pid).join(', ')}); killed ${killed.length}.`);
    } catch (error) {
      this.logger.error('Could not clear the records of child processes at stop:', error);
    }
  }

  private then(pid: number, write: () => Promise<void>, what: string): void {
    if (this.closed) return;
    const next = (this.chains.get(pid) ?? Promise.resolve())
      .then(write)
      .catch((error: unknown) => this.logger.error(`Could not ${what} a child process:`, error))
      .finally(() => {
        if (this.chains.get(pid) === next) this.chains.delete(pid);
      });
    this.chains.set(pid, next);
  }
}

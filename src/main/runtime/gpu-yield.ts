/**
 * Yield the GPU to the person at the machine: a start/stop service that, while the setting is on,
 * looks at the machine every `pollSeconds` (GpuActivitySource: the process table and nvidia-smi;
 * a process table has no change events, so this one duty polls) and decides with core/gpu-yield.ts.
 *
 * While held, this node's GPU categories start nothing (the scheduler shows the reason, "held: obs
 * is running"); with action "suspend" their running jobs are suspended too (AutoSuspender, key
 * 'gpu-yield') and resumed once the program has ended. It is per node: each machine yields its own
 * GPU; the settings come with the schedules document (shared by a fleet).
 */
import type { GpuYieldSettings } from '../../shared/contracts/queue-control';
import type { ResourceCategory } from '../../shared/domain/statuses';
import { gpuHoldReason } from '../core/gpu-yield';
import type { TimerHandle, Timers } from '../core/clock';
import type { GpuActivitySource } from '../system/gpu-activity';
import type { AutoSuspender } from './auto-suspend';
import type { RuntimeService } from './services/service';

export interface GpuYieldDeps {
  readonly source: GpuActivitySource;
  readonly timers: Timers;
  readonly suspender: AutoSuspender;
  /** Running gpu_encode jobs of this node (each may hold one encoder session). */
  runningEncodes(): number;
  /** The hold began or ended: claim again (to start, or to re-explain waits). */
  onChange(): void;
  readonly logger: Pick<Console, 'info' | 'warn'>;
}

export class GpuYield implements RuntimeService {
  readonly name = 'gpu yield';
  private settings: GpuYieldSettings | null = null;
  private reason: string | null = null;
  private heldCategories: readonly ResourceCategory[] = [];
  private readonly ownPids = new Set<number>();
  private timer: TimerHandle | null = null;
  private running = false;
  private looking: Promise<void> | null = null;

  constructor(private readonly deps: GpuYieldDeps) {}

  /** The hold's reason while held, else null. */
  get holdReason(): string | null {
    return this.reason;
  }

  /** The categories held now, with the reason. */
  closedReasons(): Partial<Record<ResourceCategory, string>> {
    const out: Partial<Record<ResourceCategory, string>> = {};
    if (this.reason) for (const c of this.heldCategories) out[c] = `${c}: ${this.reason}`;
    return out;
  }

  /** Our attempts' processes: never a reason to yield. */
  processStarted(pid: number): void {
    this.ownPids.add(pid);
  }

  processEnded(pid: number): void {
    this.ownPids.delete(pid);
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.looking;
  }

  /** New settings (the schedules document): applied at the next look, which comes at once. */
  configure(settings: GpuYieldSettings): void {
    this.settings = settings;
    if (this.running) this.schedule(0);
  }

  /** Looks once now (tests call it; the timer calls it every pollSeconds). */
  look(): Promise<void> {
    this.looking ??= this.lookOnce().finally(() => (this.looking = null));
    return this.looking;
  }

  private async lookOnce(): Promise<void> {
    const settings = this.settings;
    let reason: string | null = null;
    if (settings?.enabled) {
      try {
        const reading = await this.deps.source.read(settings.processNames, settings.watchEncoder);
        reason = gpuHoldReason(reading, settings, { pids: this.ownPids, encoderSessions: this.deps.runningEncodes() });
      } catch (error) {
        this.deps.logger.warn(`GPU yield: could not look at the machine (${error instanceof Error ? error.message : String(error)}); not holding`);
      }
    }
    await this.set(reason, settings);
  }

  private async set(reason: string | null, settings: GpuYieldSettings | null): Promise<void> {
    const categories = settings?.categories ?? [];
    const changed = reason !== this.reason || categories.join() !== this.heldCategories.join();
    const released = this.heldCategories.filter((c) => !reason || !categories.includes(c));
    if (this.reason && !reason) this.deps.logger.info(`GPU yield: ended (${this.reason.replace(/^held: /, '')} no longer)`);
    if (reason && reason !== this.reason) this.deps.logger.info(`GPU yield: GPU jobs ${reason}`);
    this.reason = reason;
    this.heldCategories = reason ? categories : [];
    if (changed) this.deps.onChange();
    for (const c of released) await this.deps.suspender.release('gpu-yield', 'GPU yield (ended)', c);
    if (reason && settings?.action === 'suspend') {
      for (const c of categories) await this.deps.suspender.suspendCategory(c, 'gpu-yield', `GPU yield (${reason})`);
    } else if (reason) {
      // "hold" now (the action changed): what an earlier "suspend" holds is let go
      await this.deps.suspender.release('gpu-yield', 'GPU yield (hold only)');
    }
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = this.deps.timers.setTimeout(async () => {
      this.timer = null;
      if (!this.running) return;
      await this.look();
      if (this.running && this.settings?.enabled) this.schedule(this.settings.pollSeconds * 1000);
    }, ms);
  }
}

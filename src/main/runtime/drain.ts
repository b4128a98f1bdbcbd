/**
 * Draining the queue (POST /api/media/queue/drain): start nothing new anywhere, let what runs
 * finish, then report drained.
 *
 *   off ──drain──▶ draining ──no live job left──▶ drained ──resume──▶ off
 *
 * A drain is the queue's pause (the persisted flag every node of a fleet obeys, so nothing new
 * starts anywhere, across restarts too) plus a record in the settings table ('queue.drain': since,
 * drainedAt) that says the pause is a drain: waiting jobs show "Queue is draining", and the state is
 * in GET /api/media/queue and the stats. Nothing running is stopped. "Live" counts running and
 * suspended jobs fleet-wide: a suspended job still has its process, so the queue is not drained
 * while one is left. The count is taken again whenever a job this node sees leaves `running`, and
 * at every re-read of the queue flags (a fleet's poll), so each node reports drained by itself.
 * The queue's resume (without a category) ends the drain.
 */
import type { DrainState } from '../../shared/contracts/queue-control';
import type { JobRecord } from '../core/ports';
import type { Clock } from '../core/clock';
import type { SettingsStore, StoredSetting } from '../core/watch-ports';

export const DRAIN_KEY = 'queue.drain';

interface DrainRecord {
  readonly since: number;
  readonly drainedAt: number | null;
}

export interface QueueDrainDeps {
  readonly settings: SettingsStore;
  readonly clock: Clock;
  /** The queue's pause flag (CapacityState). */
  isPaused(): boolean;
  setPaused(paused: boolean): Promise<void>;
  /** Running + suspended jobs, fleet-wide. */
  countLive(): Promise<number>;
  /** The drain's state changed (draining, drained, ended): an event, and a claim to re-explain waits. */
  onChange(state: DrainState): void;
  readonly logger: Pick<Console, 'info' | 'error'>;
}

export class QueueDrain {
  private record: DrainRecord | null = null;
  /** The stored row the record was read from or written as: marking it drained writes only over that very row. */
  private row: StoredSetting | null = null;
  private live = 0;
  private checking: Promise<void> | null = null;
  private recheck = false;

  constructor(private readonly deps: QueueDrainDeps) {}

  /** The waiting reason while draining, else undefined (a plain pause says "Queue is paused"). */
  pausedReason(): string | undefined {
    if (!this.active) return undefined;
    return this.record!.drainedAt === null ? 'Queue is draining: running jobs finish, nothing new starts' : 'Queue is drained: nothing new starts until the queue is resumed';
  }

  /** A drain is on only while the queue is paused too (a resume through any node ends both). */
  private get active(): boolean {
    return this.record !== null && this.deps.isPaused();
  }

  state(): DrainState {
    if (!this.active) return { state: 'off', since: null, drainedAt: null, live: 0 };
    const r = this.record!;
    return { state: r.drainedAt === null ? 'draining' : 'drained', since: iso(r.since), drainedAt: r.drainedAt === null ? null : iso(r.drainedAt), live: this.live };
  }

  /** Re-reads the record (start-up, and whenever the queue flags are re-read); then counts again while draining. */
  async reload(): Promise<void> {
    const before = this.state().state;
    this.adopt(await this.deps.settings.readSetting(DRAIN_KEY), before);
    await this.check();
  }

  /** Takes a stored row as the record; an event when the state changed from `before`. */
  private adopt(stored: StoredSetting | null, before: DrainState['state']): void {
    this.row = stored;
    this.record = isRecord(stored?.value) ? stored.value : null;
    if (this.state().state !== before) this.deps.onChange(this.state());
  }

  async drain(): Promise<DrainState> {
    if (!this.active) {
      this.record = { since: this.deps.clock.now(), drainedAt: null };
      this.row = { value: this.record, updatedAt: this.record.since };
      await this.deps.settings.writeSetting(DRAIN_KEY, this.record, this.record.since);
      await this.deps.setPaused(true);
      this.deps.logger.info('Queue draining: nothing new starts; running jobs finish.');
      this.deps.onChange(this.state());
    }
    await this.check();
    return this.state();
  }

  /** The queue was resumed: the drain (if any) ends. */
  async end(): Promise<void> {
    if (this.record === null) return;
    this.record = null;
    const at = this.deps.clock.now();
    this.row = { value: null, updatedAt: at };
    await this.deps.settings.writeSetting(DRAIN_KEY, null, at);
    this.deps.onChange(this.state());
  }

  /** Jobs changed on this node: one that left `running` may have been the last. */
  jobsChanged(jobs: readonly JobRecord[]): void {
    if (this.active && this.record!.drainedAt === null && jobs.some((j) => j.status !== 'running')) void this.check();
  }

  /** Counts live jobs while draining, and marks the drain drained once none is left. Serialised; a call during a count counts again after it. */
  check(): Promise<void> {
    if (this.checking) {
      this.recheck = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.recheck = false;
        await this.countOnce().catch((error: unknown) => this.deps.logger.error('Could not count the live jobs of the drain:', error));
      } while (this.recheck);
    })().finally(() => (this.checking = null));
    return this.checking;
  }

  private async countOnce(): Promise<void> {
    if (!this.active || this.record!.drainedAt !== null) return;
    this.live = await this.deps.countLive();
    if (this.live > 0 || !this.active || this.record!.drainedAt !== null) return;
    const drained: DrainRecord = { ...this.record!, drainedAt: this.deps.clock.now() };
    // only over the row this drain was read from: another node may have resumed the queue (and ended
    // the drain) during the count, and this node's copy of the pause flag is only as fresh as its poll
    if (!(await this.deps.settings.writeSettingIf(DRAIN_KEY, drained, drained.drainedAt!, this.row))) {
      this.adopt(await this.deps.settings.readSetting(DRAIN_KEY), this.state().state);
      this.recheck = true;
      return;
    }
    this.record = drained;
    this.row = { value: drained, updatedAt: drained.drainedAt! };
    this.deps.logger.info('Queue drained: no job runs any more.');
    this.deps.onChange(this.state());
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isRecord(v: unknown): v is DrainRecord {
  return typeof v === 'object' && v !== null && typeof (v as DrainRecord).since === 'number';
}

/**
 * Time windows per category, applied live: a start/stop service that keeps, for each category,
 * whether it is inside its windows now, and tells the scheduler the closed ones (with the waiting
 * reason "gpu_encode: outside its window, opens 22:00").
 *
 * It re-evaluates at the windows' boundaries, on a timer of the injected clock (and at local
 * midnights, when "opens Mon 22:00" becomes "opens 22:00"), never by polling; and a claim that runs
 * past a boundary before the timer fired re-evaluates first (closedReasons), so no job starts
 * outside a window even when a timer is late.
 *
 * At a window's scheduled close its `atClose` decides: "finish" lets this node's running jobs of
 * the category end; "suspend" suspends them (AutoSuspender, key 'window'), and they are resumed
 * when the category opens again. A change of the settings that closes a category lets running jobs
 * finish (an edit is not a window's close); one that opens it resumes what the windows suspended.
 *
 * The settings live in the database (key 'queue.schedules'): a fleet shares them; each node runs
 * its own copy of this service for the jobs it runs, and re-reads them when the queue flags are
 * re-read (wake-ups and the fleet's poll).
 */
import { AppError } from '../../shared/contracts/errors';
import { scheduleSettingsSchema, type ScheduleSettings, type ScheduleSettingsInput } from '../../shared/contracts/queue-control';
import { RESOURCE_CATEGORIES, type ResourceCategory } from '../../shared/domain/statuses';
import type { Clock, TimerHandle, Timers } from '../core/clock';
import { boundariesAfter, categoryWindowState, outsideWindowReason, type CategoryWindowState } from '../core/time-windows';
import type { SettingsStore } from '../core/watch-ports';
import type { AutoSuspender } from './auto-suspend';
import type { RuntimeService } from './services/service';
import { SettingsRowGuard } from './settings-row-guard';

export const SCHEDULE_SETTINGS_KEY = 'queue.schedules';

export const DEFAULT_SCHEDULE_SETTINGS: ScheduleSettings = scheduleSettingsSchema.parse({});

export interface ScheduleWindowsDeps {
  readonly settings: SettingsStore;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly suspender: AutoSuspender;
  /** The zone windows are read in when the settings name none (this machine's). */
  readonly localZone: string;
  /** Something the scheduler sees changed (a category opened or closed): claim again. */
  onChange(): void;
  /** The stored settings changed (applied here): the GPU yield reads them too. */
  onSettings?(settings: ScheduleSettings): void;
  readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
}

interface Current {
  readonly settings: ScheduleSettings;
  readonly source: 'stored' | 'defaults';
  readonly updatedAt: number | null;
}

export class ScheduleWindows implements RuntimeService {
  readonly name = 'time windows';
  private current: Current = { settings: DEFAULT_SCHEDULE_SETTINGS, source: 'defaults', updatedAt: null };
  private states = new Map<ResourceCategory, CategoryWindowState>();
  private reasons: Partial<Record<ResourceCategory, string>> = {};
  /** When the next evaluation is due (a boundary or a local midnight), epoch ms. */
  private nextAt = Number.POSITIVE_INFINITY;
  private timer: TimerHandle | null = null;
  private running = false;
  private readonly row = new SettingsRowGuard();

  constructor(private readonly deps: ScheduleWindowsDeps) {}

  get settings(): ScheduleSettings {
    return this.current.settings;
  }

  get zone(): string {
    return this.current.settings.timeZone ?? this.deps.localZone;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.reload().catch((error: unknown) => this.deps.logger.error('Could not read the time windows (none apply until they can be read):', error));
    if (this.states.size === 0) this.evaluate('edit');
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.deps.suspender.idle();
  }

  /** The categories closed now, with their waiting reasons (re-evaluated first when a boundary has passed). */
  closedReasons(): Partial<Record<ResourceCategory, string>> {
    if (this.running && this.deps.clock.now() >= this.nextAt) this.evaluate('boundary');
    return this.reasons;
  }

  /** Re-reads the stored settings and applies them when they changed (another node saved them). */
  async reload(): Promise<void> {
    const read = await this.row.reading(() => this.deps.settings.readSetting(SCHEDULE_SETTINGS_KEY));
    // stale: this node's own update, newer, overlapped the read; same: unchanged since the last read
    if (read.kind !== 'new' || !read.row) return;
    const stored = read.row;
    const parsed = scheduleSettingsSchema.safeParse(stored.value);
    if (!parsed.success) {
      this.deps.logger.warn(`The stored time windows are not valid (ignored): ${parsed.error.message}`);
      return;
    }
    this.apply({ settings: parsed.data, source: 'stored', updatedAt: stored.updatedAt });
  }

  /** PUT /api/media/schedules: the fields given replace the stored ones; saved for every node and applied at once. */
  async update(input: ScheduleSettingsInput): Promise<void> {
    // merged into the row stored at the write (compare and set): in a fleet another node may have saved since this one's last poll
    const { timeZone, ...rest } = input;
    const saved = await this.row.save(this.deps.settings, SCHEDULE_SETTINGS_KEY, () => this.deps.clock.now(), (row) => {
      const stored = row ? scheduleSettingsSchema.safeParse(row.value) : null;
      // a row that is not valid was ignored by reload(): this node's windows stand in for it
      const merged: Record<string, unknown> = { ...(stored?.success ? stored.data : this.current.settings), ...dropUndefined(rest) };
      if (timeZone === null) delete merged.timeZone;
      else if (timeZone !== undefined) merged.timeZone = timeZone;
      const parsed = scheduleSettingsSchema.safeParse(merged);
      if (!parsed.success) throw new AppError('VALIDATION_FAILED', `Invalid schedules: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return parsed.data;
    });
    this.apply({ settings: saved.value, source: 'stored', updatedAt: saved.updatedAt });
  }

  /** What GET /api/media/schedules shows of the windows. */
  view(): { current: Current; zone: string; categories: Record<ResourceCategory, { open: boolean; reason: string | null; nextChange: string | null }> } {
    const reasons = this.closedReasons();
    const categories = {} as Record<ResourceCategory, { open: boolean; reason: string | null; nextChange: string | null }>;
    for (const c of RESOURCE_CATEGORIES) {
      const s = this.states.get(c);
      categories[c] = { open: s?.open ?? true, reason: reasons[c] ?? null, nextChange: s?.nextChange == null ? null : new Date(s.nextChange).toISOString() };
    }
    return { current: this.current, zone: this.zone, categories };
  }

  private apply(next: Current): void {
    this.current = next;
    this.deps.onSettings?.(next.settings);
    if (this.running) this.evaluate('edit');
  }

  /**
   * Computes each category's state at now; acts on the changes (a scheduled close with "suspend"
   * suspends, an opening resumes) and arms the timer for the next boundary.
   */
  private evaluate(cause: 'boundary' | 'edit'): void {
    const now = this.deps.clock.now();
    const { windows } = this.current.settings;
    const zone = this.zone;
    const reasons: Partial<Record<ResourceCategory, string>> = {};
    let changed = false;
    for (const category of RESOURCE_CATEGORIES) {
      const before = this.states.get(category);
      const state = categoryWindowState(windows, category, now, zone);
      this.states.set(category, state);
      if (!state.open) reasons[category] = outsideWindowReason(category, state, now, zone);
      if (reasons[category] !== this.reasons[category]) changed = true;
      if (state.open) {
        if (before && !before.open) this.deps.logger.info(`Time window: ${category} is open`);
        void this.deps.suspender.release('window', `time window of ${category} (opened)`, category);
      } else if (before?.open) {
        const closing = before.window;
        this.deps.logger.info(`Time window: ${category} closed (${reasons[category]})`);
        if (cause === 'boundary' && closing?.atClose === 'suspend') {
          void this.deps.suspender.suspendCategory(category, 'window', `time window ${category} ${closing.start}–${closing.end} (closed)`);
        }
      }
    }
    this.reasons = reasons;
    this.arm(now, boundariesAfter(windows, null, now, zone, 2)[0] ?? null);
    if (changed) this.deps.onChange();
  }

  private arm(now: number, at: number | null): void {
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = at ?? Number.POSITIVE_INFINITY;
    if (at === null || !this.running) return;
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = null;
      if (this.running) this.evaluate('boundary');
    }, Math.min(at - now, 2 ** 31 - 1));
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

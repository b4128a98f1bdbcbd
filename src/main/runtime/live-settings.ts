/**
 * The runtime settings of GET/PUT /api/media/settings (slots per category, VRAM headroom,
 * retention, hang timeout), applied live: stored in the settings table (key `runtime-settings`),
 * merged over the configuration, and pushed to whoever uses them (capacity, the cleaner, the hang
 * watchdog, the attempts) through `onApplied`. A field whose environment variable is set keeps the
 * variable's value and is locked: a PUT that changes it is refused (409 SETTING_LOCKED).
 */
import { AppError } from '../../shared/contracts/errors';
import {
  runtimeSettingsSchema,
  SETTING_FIELDS,
  SETTING_VARIABLES,
  type RuntimeSettings,
  type RuntimeSettingsInput,
  type SettingField,
  type SettingsState,
} from '../../shared/contracts/settings';
import type { Clock } from '../core/clock';
import type { SettingsStore } from '../core/watch-ports';
import type { Env, RuntimeConfig } from './config';
import { SettingsRowGuard } from './settings-row-guard';

export const RUNTIME_SETTINGS_KEY = 'runtime-settings';

type Stored = Partial<Omit<RuntimeSettings, 'limits'>> & { limits?: Partial<RuntimeSettings['limits']> };

export interface LiveSettingsDeps {
  readonly settings: SettingsStore;
  readonly config: Pick<RuntimeConfig, 'limits' | 'vramHeadroomMb' | 'retention' | 'hangTimeoutMs'>;
  /** The environment the configuration was read from: a variable set there locks its field. */
  readonly env: Env;
  readonly clock: Pick<Clock, 'now'>;
  readonly logger: Pick<Console, 'warn'>;
  /** Called with the values in force whenever they change (and once at load). */
  readonly onApplied: (settings: RuntimeSettings) => void;
}

function getField(s: Stored, field: SettingField): number | undefined {
  if (field.startsWith('limits.')) return s.limits?.[field.slice(7) as keyof RuntimeSettings['limits']];
  return s[field as Exclude<SettingField, `limits.${string}`>];
}

function setField(s: Stored, field: SettingField, value: number): void {
  if (field.startsWith('limits.')) s.limits = { ...s.limits, [field.slice(7)]: value };
  else s[field as Exclude<SettingField, `limits.${string}`>] = value;
}

/** A stored row: any of the settings, none required. */
const storedSchema = runtimeSettingsSchema.partial().extend({ limits: runtimeSettingsSchema.shape.limits.partial().optional() });

export class LiveSettings {
  private stored: Stored = {};
  private updatedAt: number | null = null;
  private readonly row = new SettingsRowGuard();
  private current: RuntimeSettings;
  readonly locked: Readonly<Partial<Record<SettingField, string>>>;

  constructor(private readonly deps: LiveSettingsDeps) {
    const locked: Partial<Record<SettingField, string>> = {};
    for (const field of SETTING_FIELDS) {
      const variable = SETTING_VARIABLES[field];
      const raw = deps.env[variable];
      if (raw !== undefined && raw !== '') locked[field] = variable;
    }
    this.locked = locked;
    this.current = this.compute();
  }

  /** The configuration's values (environment or defaults). */
  private configured(): RuntimeSettings {
    const { config } = this.deps;
    return {
      limits: { ...config.limits },
      vramHeadroomMb: config.vramHeadroomMb,
      retainCompletedDays: config.retention.completedDays,
      retainFailedDays: config.retention.failedDays,
      hangTimeoutMs: config.hangTimeoutMs,
    };
  }

  private compute(): RuntimeSettings {
    const merged: Stored = structuredClone(this.configured());
    for (const field of SETTING_FIELDS) {
      const value = getField(this.stored, field);
      if (value !== undefined && !this.locked[field]) setField(merged, field, value);
    }
    return merged as RuntimeSettings;
  }

  get values(): RuntimeSettings {
    return this.current;
  }

  /** Reads the stored settings (at start, at each fleet poll, before an answer or an update of the API). */
  async load(): Promise<void> {
    const read = await this.row.reading(() => this.deps.settings.readSetting(RUNTIME_SETTINGS_KEY));
    // stale: this node's own update, newer, overlapped the read; same: unchanged since the last read (a fleet re-reads at every poll)
    if (read.kind !== 'new') return;
    const row = read.row;
    if (row) {
      const parsed = storedSchema.safeParse(row.value);
      if (!parsed.success) {
        this.deps.logger.warn(`The stored runtime settings are not valid (ignored): ${parsed.error.message}`);
      } else {
        this.stored = parsed.data as Stored;
        this.updatedAt = row.updatedAt;
      }
    }
    this.apply();
  }

  /** The fields of `input` an environment variable locks and that would change (field → variable). */
  lockedChanges(input: RuntimeSettingsInput): Array<{ field: SettingField; variable: string }> {
    const out: Array<{ field: SettingField; variable: string }> = [];
    for (const field of SETTING_FIELDS) {
      const value = getField(input as Stored, field);
      const variable = this.locked[field];
      if (value !== undefined && variable && value !== getField(this.current, field)) out.push({ field, variable });
    }
    return out;
  }

  /** PUT: stores the fields given (refusing locked ones that would change) and applies them at once. */
  async update(input: RuntimeSettingsInput, options: { skipLocked?: boolean } = {}): Promise<SettingsState> {
    // locked fields hold the environment's values whatever is stored: the check needs no read
    const refused = this.lockedChanges(input);
    if (refused.length > 0 && !options.skipLocked) {
      throw new AppError(
        'SETTING_LOCKED',
        `${refused.map((r) => `${r.field} is set by the environment variable ${r.variable}`).join('; ')}: unset the variable (and restart) to change it here.`,
        { locked: refused },
      );
    }
    // merged into the row stored at the write (compare and set): another node's save in between is kept
    const saved = await this.row.save(this.deps.settings, RUNTIME_SETTINGS_KEY, () => this.deps.clock.now(), (row) => {
      const parsed = row ? storedSchema.safeParse(row.value) : null;
      // a row that is not valid was ignored by load(): this node's settings stand in for it
      const next: Stored = structuredClone(parsed?.success ? (parsed.data as Stored) : this.stored);
      for (const field of SETTING_FIELDS) {
        const value = getField(input as Stored, field);
        if (value !== undefined && !this.locked[field]) setField(next, field, value);
      }
      return next;
    });
    this.stored = saved.value;
    this.updatedAt = saved.updatedAt;
    this.apply();
    return this.state();
  }

  /** The values of the stored settings that an export carries (locked fields left out: they belong to this machine). */
  exportable(): RuntimeSettingsInput {
    const out: Stored = {};
    for (const field of SETTING_FIELDS) if (!this.locked[field]) setField(out, field, getField(this.current, field)!);
    return out as RuntimeSettingsInput;
  }

  state(): SettingsState {
    return {
      settings: this.current,
      locked: { ...this.locked } as Record<string, string>,
      source: this.updatedAt === null ? 'defaults' : 'stored',
      updatedAt: this.updatedAt === null ? null : new Date(this.updatedAt).toISOString(),
    };
  }

  private apply(): void {
    this.current = this.compute();
    this.deps.onApplied(this.current);
  }
}

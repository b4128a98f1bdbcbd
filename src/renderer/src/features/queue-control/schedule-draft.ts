/**
 * The Schedules form's model: the stored settings (GET /api/media/schedules) as an editable draft,
 * the draft back as the PUT body, the checks the form makes before sending (the server makes them
 * again and names the field: `windows.0.end`), and the words for a category's state now
 * ("open until 07:00", "closed, opens Mon 22:00").
 */
import {
  WEEKDAYS,
  type GpuYieldSettings,
  type ScheduleSettings,
  type ScheduleSettingsInput,
  type ScheduleState,
  type Weekday,
  type WindowCloseAction,
} from '../../../../shared/contracts/queue-control';
import { RESOURCE_CATEGORIES, type ResourceCategory } from '../../../../shared/domain/statuses';

export type { FieldErrors } from '../../lib/settings-save';
import { unplacedErrorsOf, type FieldErrors } from '../../lib/settings-save';

export const CATEGORY_LABELS: Readonly<Record<ResourceCategory, string>> = { cpu: 'CPU', gpu_encode: 'GPU encode', gpu_ai: 'GPU AI' };
export const CATEGORY_OPTIONS = RESOURCE_CATEGORIES.map((value) => ({ value, label: CATEGORY_LABELS[value] }));
export const DAY_LABELS: Readonly<Record<Weekday, string>> = { sun: 'Sun', mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat' };
/** Monday first, as a week is read in most of the places this runs. */
export const DAY_ORDER: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface WindowDraft {
  /** React key only (not sent). */
  readonly key: string;
  readonly category: ResourceCategory;
  /** Every day when all seven are chosen (sent without `days`). */
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
  readonly atClose: WindowCloseAction;
}

export interface ScheduleDraft {
  /** '' = this machine's zone. */
  readonly timeZone: string;
  readonly windows: readonly WindowDraft[];
  readonly gpuYield: GpuYieldSettings;
}

let keys = 0;
const nextKey = () => `w${++keys}`;

export function newWindow(category: ResourceCategory = 'gpu_encode'): WindowDraft {
  return { key: nextKey(), category, days: [...WEEKDAYS], start: '22:00', end: '07:00', atClose: 'finish' };
}

export function toDraft(settings: ScheduleSettings): ScheduleDraft {
  return {
    timeZone: settings.timeZone ?? '',
    windows: settings.windows.map((w) => ({ key: nextKey(), category: w.category, days: w.days ?? [...WEEKDAYS], start: w.start, end: w.end, atClose: w.atClose })),
    gpuYield: settings.gpuYield,
  };
}

/** The PUT body: every field (windows replace the stored list; an empty zone means the machine's). */
export function toInput(draft: ScheduleDraft): ScheduleSettingsInput {
  return {
    timeZone: draft.timeZone.trim() === '' ? null : draft.timeZone.trim(),
    windows: draft.windows.map((w) => ({
      category: w.category,
      start: w.start.trim(),
      end: w.end.trim(),
      atClose: w.atClose,
      ...(w.days.length === WEEKDAYS.length ? {} : { days: WEEKDAYS.filter((d) => w.days.includes(d)) }),
    })),
    gpuYield: { ...draft.gpuYield, processNames: draft.gpuYield.processNames.map((n) => n.trim()).filter(Boolean) },
  };
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** What the form can tell before sending (the server checks the same and more). */
export function validateDraft(draft: ScheduleDraft): FieldErrors {
  const errors: Record<string, string> = {};
  draft.windows.forEach((w, i) => {
    const start = w.start.trim();
    const end = w.end.trim();
    if (!HHMM.test(start)) errors[`windows.${i}.start`] = 'Write a time of day as HH:MM (00:00 to 23:59)';
    if (end !== '24:00' && !HHMM.test(end)) errors[`windows.${i}.end`] = 'Write a time of day as HH:MM (00:00 to 24:00)';
    else if (start === end) errors[`windows.${i}.end`] = 'Must differ from the start (a whole day is 00:00 to 24:00)';
    if (w.days.length === 0) errors[`windows.${i}.days`] = 'Choose at least one day';
  });
  const poll = draft.gpuYield.pollSeconds;
  if (!Number.isFinite(poll) || poll < 1 || poll > 600) errors['gpuYield.pollSeconds'] = 'Between 1 and 600 seconds';
  if (draft.gpuYield.categories.length === 0) errors['gpuYield.categories'] = 'Choose at least one category';
  return errors;
}

/** The first error at `path` or below it (`windows.0` shows `windows.0.start` too). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  return Object.entries(errors).find(([p]) => p === path || p.startsWith(`${path}.`))?.[1];
}

const PLACED = /^(timeZone|windows\.\d+\.(category|days|start|end|atClose)|gpuYield\.(enabled|processNames|watchEncoder|action|categories|pollSeconds))(\.|$)/;

/** Errors no field of the form shows (said above it). */
export function unplacedErrors(errors: FieldErrors): string[] {
  return unplacedErrorsOf(errors, PLACED);
}

function parts(date: Date, zone: string): { day: string; weekday: string; time: string } {
  const get = (options: Intl.DateTimeFormatOptions) => {
    try {
      return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: zone }).format(date);
    } catch {
      return new Intl.DateTimeFormat('en-GB', options).format(date);
    }
  };
  return { day: get({ year: 'numeric', month: '2-digit', day: '2-digit' }), weekday: get({ weekday: 'short' }), time: get({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }) };
}

/** A moment as the windows read it (and as the jobs' waiting reasons say it): "22:00" today, else "Mon 22:00". */
export function formatMoment(iso: string, zone: string, now: Date): string {
  const p = parts(new Date(iso), zone);
  return p.day === parts(now, zone).day ? p.time : `${p.weekday} ${p.time}`;
}

export type CategoryWindowState = ScheduleState['categories'][ResourceCategory];

export interface CategoryNow {
  readonly open: boolean;
  readonly text: string;
}

/** "open until 07:00", "closed, opens 22:00", "always open (no windows)". */
export function describeCategory(state: CategoryWindowState | undefined, hasWindows: boolean, zone: string, now: Date): CategoryNow {
  if (!state || state.open) {
    if (state?.nextChange) return { open: true, text: `open until ${formatMoment(state.nextChange, zone, now)}` };
    return { open: true, text: hasWindows ? 'open' : 'always open (no windows)' };
  }
  if (state.nextChange) return { open: false, text: `closed, opens ${formatMoment(state.nextChange, zone, now)}` };
  return { open: false, text: state.reason ? `closed: ${state.reason.replace(/^\w+: /, '')}` : 'closed' };
}

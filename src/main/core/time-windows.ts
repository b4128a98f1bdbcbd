/**
 * Time windows per category, in local time of an explicit IANA zone (pure: the zone is an argument,
 * never the process's TZ, so a test can run a week in any zone).
 *
 * A window `start–end` on `days` is open from start (inclusive) to end (exclusive) local time; an
 * end at or before the start (22:00–07:00) runs past midnight and closes the next day. `days` are
 * the days the window OPENS on. A category without windows is always open; with windows, open only
 * inside one of them.
 *
 * Boundaries are computed as instants (local date + time → epoch, DST-aware) and every candidate is
 * re-checked with `openWindowAt`, so a window that opens at a time a DST change skips is not lost:
 * the caller re-evaluates at each boundary (and at local midnights, when a reason's wording changes).
 */
import type { ResourceCategory } from '../../shared/domain/statuses';
import { WEEKDAYS, type TimeWindow } from '../../shared/contracts/queue-control';

const MINUTE = 60_000;
const DAY_MINUTES = 1440;

export interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday. */
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formatters.set(zone, f);
  }
  return f;
}

const SHORT_DAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export function localParts(epochMs: number, zone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(epochMs)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: SHORT_DAYS[parts.weekday!] ?? 0,
    minute: (Number(parts.hour) % 24) * 60 + Number(parts.minute),
  };
}

/** The zone's offset from UTC at an instant, in ms (local = utc + offset), to the minute. */
function offsetAt(epochMs: number, zone: string): number {
  const p = localParts(epochMs, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, 0, p.minute);
  return asUtc - Math.floor(epochMs / MINUTE) * MINUTE;
}

/**
 * The instant of a local date and time of day (minute may be 1440, or more: it rolls into the next
 * days). A time a DST change skips maps to the instant just after the gap.
 */
export function localToEpoch(year: number, month: number, day: number, minute: number, zone: string): number {
  const guess = Date.UTC(year, month - 1, day, 0, minute);
  const first = offsetAt(guess, zone);
  const t = guess - first;
  const second = offsetAt(t, zone);
  return second === first ? t : guess - second;
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

function opensOn(window: TimeWindow, weekday: number): boolean {
  return !window.days || window.days.includes(WEEKDAYS[weekday]!);
}

/** The window of `category` open at `epochMs` (the first listed), or null. */
export function openWindowAt(windows: readonly TimeWindow[], category: ResourceCategory, epochMs: number, zone: string): TimeWindow | null {
  const p = localParts(epochMs, zone);
  for (const w of windows) {
    if (w.category !== category) continue;
    const s = minutesOf(w.start);
    const e = minutesOf(w.end);
    if (s < e) {
      if (opensOn(w, p.weekday) && p.minute >= s && p.minute < e) return w;
    } else if ((opensOn(w, p.weekday) && p.minute >= s) || (opensOn(w, (p.weekday + 6) % 7) && p.minute < e)) {
      return w;
    }
  }
  return null;
}

/** Whether `category` has any window at all (without one it is always open). */
export function hasWindows(windows: readonly TimeWindow[], category: ResourceCategory): boolean {
  return windows.some((w) => w.category === category);
}

/**
 * Instants after `now` at which the windows of `category` (all categories when null) may open or
 * close, and local midnights, over `horizonDays`, ascending and without duplicates.
 */
export function boundariesAfter(windows: readonly TimeWindow[], category: ResourceCategory | null, now: number, zone: string, horizonDays = 8): number[] {
  const today = localParts(now, zone);
  const out = new Set<number>();
  for (let d = -1; d <= horizonDays; d++) {
    // the local calendar date d days from today (Date.UTC normalises overflowing days)
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + d));
    const [y, m, day, weekday] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCDay()];
    out.add(localToEpoch(y, m, day, 0, zone));
    for (const w of windows) {
      if ((category !== null && w.category !== category) || !opensOn(w, weekday)) continue;
      const s = minutesOf(w.start);
      const e = minutesOf(w.end);
      out.add(localToEpoch(y, m, day, s, zone));
      out.add(localToEpoch(y, m, day, e > s ? e : e + DAY_MINUTES, zone));
    }
  }
  return [...out].filter((t) => t > now).sort((a, b) => a - b);
}

export interface CategoryWindowState {
  readonly open: boolean;
  /** The window that is open now (null when closed, or when the category has no windows). */
  readonly window: TimeWindow | null;
  /** When `open` changes next (epoch ms), or null when it does not within the horizon. */
  readonly nextChange: number | null;
}

export function categoryWindowState(windows: readonly TimeWindow[], category: ResourceCategory, now: number, zone: string): CategoryWindowState {
  if (!hasWindows(windows, category)) return { open: true, window: null, nextChange: null };
  const window = openWindowAt(windows, category, now, zone);
  const open = window !== null;
  const nextChange = boundariesAfter(windows, category, now, zone).find((t) => (openWindowAt(windows, category, t, zone) !== null) !== open) ?? null;
  return { open, window, nextChange };
}

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** "22:00" when `at` is on the same local day as `now`, "Mon 22:00" otherwise. */
export function describeLocalTime(at: number, now: number, zone: string): string {
  const a = localParts(at, zone);
  const n = localParts(now, zone);
  const sameDay = a.year === n.year && a.month === n.month && a.day === n.day;
  return sameDay ? hhmm(a.minute) : `${DAY_NAMES[a.weekday]} ${hhmm(a.minute)}`;
}

/** The waiting reason of a job whose category is outside its windows. */
export function outsideWindowReason(category: ResourceCategory, state: CategoryWindowState, now: number, zone: string): string {
  if (state.nextChange === null) return `${category}: outside its window (none opens in the next week)`;
  return `${category}: outside its window, opens ${describeLocalTime(state.nextChange, now, zone)}`;
}

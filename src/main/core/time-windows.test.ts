import { describe, expect, it } from 'vitest';
import { timeWindowSchema, type TimeWindow } from '../../shared/contracts/queue-control';
import { DEFAULT_CATEGORY_LIMITS, EMPTY_USAGE, type NodeCapacity } from './capacity';
import { fittingRead, schedule, type Candidate } from './scheduler';
import { boundariesAfter, categoryWindowState, localParts, localToEpoch, openWindowAt, outsideWindowReason } from './time-windows';

const ZONE = 'Europe/Berlin';
const w = (o: Partial<TimeWindow> & Pick<TimeWindow, 'start' | 'end'>): TimeWindow => timeWindowSchema.parse({ category: 'gpu_encode', ...o });
/** Local Berlin time → epoch (2026-01-05 is a Monday). */
const at = (day: number, hhmm: string, month = 1) => localToEpoch(2026, month, day, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), ZONE);

describe('time windows', () => {
  it('reads a window that crosses midnight, and says when it opens', () => {
    const night = [w({ start: '22:00', end: '07:00' })];
    expect(openWindowAt(night, 'gpu_encode', at(5, '21:59'), ZONE)).toBeNull();
    expect(openWindowAt(night, 'gpu_encode', at(5, '22:00'), ZONE)).not.toBeNull();
    expect(openWindowAt(night, 'gpu_encode', at(6, '06:59'), ZONE)).not.toBeNull();
    expect(openWindowAt(night, 'gpu_encode', at(6, '07:00'), ZONE)).toBeNull();
    const noon = at(6, '12:00');
    const state = categoryWindowState(night, 'gpu_encode', noon, ZONE);
    expect(state).toMatchObject({ open: false, nextChange: at(6, '22:00') });
    expect(outsideWindowReason('gpu_encode', state, noon, ZONE)).toBe('gpu_encode: outside its window, opens 22:00');
    // other categories have no window: always open
    expect(categoryWindowState(night, 'cpu', noon, ZONE)).toEqual({ open: true, window: null, nextChange: null });
  });

  it('opens only on the days named (the day a window opens), and names the day when it is not today', () => {
    const friday = [w({ start: '22:00', end: '07:00', days: ['fri'] })];
    expect(openWindowAt(friday, 'gpu_encode', at(10, '03:00'), ZONE)).not.toBeNull(); // Sat 03:00: Friday's night
    expect(openWindowAt(friday, 'gpu_encode', at(11, '03:00'), ZONE)).toBeNull(); // Sun 03:00
    const sat = at(10, '08:00');
    const state = categoryWindowState(friday, 'gpu_encode', sat, ZONE);
    expect(state.nextChange).toBe(at(16, '22:00'));
    expect(outsideWindowReason('gpu_encode', state, sat, ZONE)).toBe('gpu_encode: outside its window, opens Fri 22:00');
  });

  it('takes several windows a day, and 24:00 as the end of the day', () => {
    const two = [w({ start: '01:00', end: '03:00' }), w({ start: '12:00', end: '24:00' })];
    expect(openWindowAt(two, 'gpu_encode', at(5, '02:00'), ZONE)).not.toBeNull();
    expect(openWindowAt(two, 'gpu_encode', at(5, '05:00'), ZONE)).toBeNull();
    expect(openWindowAt(two, 'gpu_encode', at(5, '23:59'), ZONE)).not.toBeNull();
    expect(categoryWindowState(two, 'gpu_encode', at(5, '05:00'), ZONE).nextChange).toBe(at(5, '12:00'));
    expect(categoryWindowState(two, 'gpu_encode', at(5, '13:00'), ZONE).nextChange).toBe(at(6, '00:00'));
  });

  it('keeps local time across a DST change (Berlin springs forward on 2026-03-29)', () => {
    const night = [w({ start: '22:00', end: '07:00' })];
    const before = at(28, '22:00', 3);
    const after = at(29, '07:00', 3);
    expect(after - before).toBe(8 * 3_600_000); // one hour less that night
    expect(categoryWindowState(night, 'gpu_encode', before, ZONE).nextChange).toBe(after);
    expect(localParts(after, ZONE).minute).toBe(7 * 60);
    // a window opening at a time the change skips opens just after the gap
    const skipped = [w({ start: '02:30', end: '04:00' })];
    const t = categoryWindowState(skipped, 'gpu_encode', at(29, '01:00', 3), ZONE).nextChange!;
    expect(openWindowAt(skipped, 'gpu_encode', t, ZONE)).not.toBeNull();
    expect(localParts(t, ZONE).minute).toBeGreaterThanOrEqual(3 * 60);
  });

  it('over a simulated week, the state never changes before nextChange and does change at it', () => {
    const windows = [w({ start: '22:00', end: '07:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }), w({ start: '09:30', end: '11:00', days: ['sat', 'sun'] })];
    const start = at(5, '00:00');
    const STEP = 7 * 60_000; // not a divisor of an hour: lands at every minute offset over the week
    for (let t = start; t < start + 7 * 86_400_000; t += STEP) {
      const s = categoryWindowState(windows, 'gpu_encode', t, ZONE);
      expect(s.nextChange).not.toBeNull();
      const open = (x: number) => openWindowAt(windows, 'gpu_encode', x, ZONE) !== null;
      expect(open(t)).toBe(s.open);
      expect(open(s.nextChange!)).toBe(!s.open);
      expect(open(s.nextChange! - 1)).toBe(s.open);
      expect(boundariesAfter(windows, 'gpu_encode', t, ZONE)).toContain(s.nextChange);
    }
  });

  it('refuses a window that opens and closes at the same time, and times that are not HH:MM', () => {
    expect(timeWindowSchema.safeParse({ category: 'gpu_encode', start: '22:00', end: '22:00' }).success).toBe(false);
    expect(timeWindowSchema.safeParse({ category: 'gpu_encode', start: '7:00', end: '22:00' }).success).toBe(false);
    expect(timeWindowSchema.safeParse({ category: 'gpu_encode', start: '00:00', end: '24:00' }).success).toBe(true);
  });
});

describe('scheduler with closed categories', () => {
  const cap = (o: Partial<NodeCapacity> = {}): NodeCapacity => ({ limits: DEFAULT_CATEGORY_LIMITS, vramBudgetMb: 16000, queuePaused: false, pausedCategories: [], ...o });
  const job = (id: string, category: Candidate['category']): Candidate => ({ id, seq: Number(id.slice(1)), category, priority: 5, vramRequired: 100, waitingSince: 0 });

  it('starts nothing of a closed category, says why, and goes on with the others', () => {
    const r = schedule({ capacity: cap({ closedCategories: { gpu_encode: 'gpu_encode: outside its window, opens 22:00' } }), usage: EMPTY_USAGE, candidates: [job('j1', 'gpu_encode'), job('j2', 'cpu')], now: 1, starvationGuardMs: 60_000 });
    expect(r.start.map((s) => s.candidate.id)).toEqual(['j2']);
    expect(r.waiting.get('j1')).toBe('gpu_encode: outside its window, opens 22:00');
    expect(fittingRead(cap({ closedCategories: { gpu_ai: 'x' } }), EMPTY_USAGE, 1, 1)?.lookahead).toEqual({ gpu_encode: 10 });
  });

  it('shows the reason a drain gives for the paused queue', () => {
    const r = schedule({ capacity: cap({ queuePaused: true, queuePausedReason: 'Queue is draining' }), usage: EMPTY_USAGE, candidates: [job('j1', 'cpu')], now: 1, starvationGuardMs: 1 });
    expect(r.waiting.get('j1')).toBe('Queue is draining');
  });
});

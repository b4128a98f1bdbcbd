import { describe, expect, it } from 'vitest';
import { scheduleSettingsInputSchema } from '../../../../shared/contracts/queue-control';
import { makeSchedules } from './fixtures';
import { describeCategory, formatMoment, newWindow, toDraft, toInput, unplacedErrors, validateDraft } from './schedule-draft';

const NOW = new Date('2026-02-13T12:00:00.000Z'); // a Friday

describe('the schedules form model', () => {
  it('round-trips the stored settings into a PUT body the contract accepts', () => {
    const settings = makeSchedules().settings;
    const draft = toDraft(settings);
    expect(draft.windows[0]).toMatchObject({ category: 'gpu_encode', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '22:00', end: '07:00', atClose: 'suspend' });
    const input = toInput(draft);
    expect(input).toEqual({ timeZone: 'UTC', windows: settings.windows, gpuYield: settings.gpuYield });
    expect(scheduleSettingsInputSchema.safeParse(input).success).toBe(true);
  });

  it('sends every day as no `days`, days in week order, an empty zone as the machine’s', () => {
    const draft = { timeZone: '  ', windows: [newWindow('cpu'), { ...newWindow('gpu_ai'), days: ['sun', 'mon'] as const }], gpuYield: { ...makeSchedules().settings.gpuYield, processNames: [' obs ', ''] } };
    const input = toInput(draft);
    expect(input.timeZone).toBeNull();
    expect(input.windows![0]).not.toHaveProperty('days');
    expect(input.windows![1]!.days).toEqual(['sun', 'mon']);
    expect(input.gpuYield!.processNames).toEqual(['obs']);
  });

  it('checks times, days and the poll interval before sending, by the server’s paths', () => {
    const base = toDraft(makeSchedules().settings);
    const draft = {
      ...base,
      windows: [
        { ...newWindow(), start: '7:00', end: '25:00' },
        { ...newWindow(), start: '08:00', end: '08:00', days: [] },
        { ...newWindow(), start: '00:00', end: '24:00' },
      ],
      gpuYield: { ...base.gpuYield, pollSeconds: 0 },
    };
    expect(validateDraft(draft)).toEqual({
      'windows.0.start': expect.stringContaining('HH:MM'),
      'windows.0.end': expect.stringContaining('HH:MM'),
      'windows.1.end': expect.stringContaining('differ'),
      'windows.1.days': 'Choose at least one day',
      'gpuYield.pollSeconds': 'Between 1 and 600 seconds',
    });
    expect(validateDraft(base)).toEqual({});
  });

  it('says above the form what no field shows', () => {
    expect(unplacedErrors({ 'windows.0.end': 'x', timeZone: 'y', 'gpuYield.pollSeconds': 'z', '': 'the whole thing', 'other.field': 'w' })).toEqual(['the whole thing', 'other.field: w']);
  });

  it('tells a category’s state in the windows’ zone: open until, closed and when it opens', () => {
    expect(describeCategory({ open: true, reason: null, nextChange: '2026-02-13T17:00:00.000Z' }, true, 'UTC', NOW)).toEqual({ open: true, text: 'open until 17:00' });
    expect(describeCategory({ open: true, reason: null, nextChange: '2026-02-14T07:00:00.000Z' }, true, 'UTC', NOW)).toEqual({ open: true, text: 'open until Sat 07:00' });
    expect(describeCategory({ open: false, reason: 'gpu_encode: outside its window, opens 22:00', nextChange: '2026-02-13T22:00:00.000Z' }, true, 'UTC', NOW)).toEqual({ open: false, text: 'closed, opens 22:00' });
    expect(describeCategory({ open: false, reason: 'x', nextChange: '2026-02-16T22:00:00.000Z' }, true, 'UTC', NOW).text).toBe('closed, opens Mon 22:00');
    expect(describeCategory({ open: false, reason: 'gpu_encode: outside its window (none opens in the next week)', nextChange: null }, true, 'UTC', NOW).text).toBe('closed: outside its window (none opens in the next week)');
    expect(describeCategory({ open: true, reason: null, nextChange: null }, false, 'UTC', NOW).text).toBe('always open (no windows)');
    // the zone decides the clock
    expect(formatMoment('2026-02-13T22:00:00.000Z', 'Europe/Berlin', NOW)).toBe('23:00');
  });
});

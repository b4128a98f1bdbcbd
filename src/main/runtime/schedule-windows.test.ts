/** ScheduleWindows' settings in a fleet: two nodes on one settings row read and merge what is stored now. */
import { describe, expect, it } from 'vitest';
import { AutoSuspender } from './auto-suspend';
import { MemorySettingsStore } from './memory-settings';
import { ScheduleWindows, SCHEDULE_SETTINGS_KEY } from './schedule-windows';
import { raceNextWrite } from './testing/held-settings-read';
import { ManualClock } from './testing/manual-clock';

function node(settings: MemorySettingsStore, clock: ManualClock): ScheduleWindows {
  return new ScheduleWindows({
    settings,
    clock,
    timers: clock,
    // nothing runs on these nodes: nothing to suspend
    suspender: new AutoSuspender({ attempts: () => [], suspend: async () => undefined, resume: async () => undefined, logger: { warn() {} } }),
    localZone: 'UTC',
    onChange() {},
    logger: { info() {}, warn() {}, error() {} },
  });
}

/** Two nodes started on one settings row. */
async function twoNodes() {
  const settings = new MemorySettingsStore();
  const clock = new ManualClock();
  const a = node(settings, clock);
  const b = node(settings, clock);
  await a.start();
  await b.start();
  return { settings, clock, a, b };
}

/** A's window and B's time zone are both in the stored row. */
async function expectBothStored(settings: MemorySettingsStore): Promise<void> {
  const stored = (await settings.readSetting(SCHEDULE_SETTINGS_KEY))?.value as { timeZone?: string; windows: unknown[] };
  expect(stored.timeZone).toBe('Europe/Berlin');
  expect(stored.windows).toEqual([expect.objectContaining({ start: '22:00', end: '07:00', category: 'gpu_encode' })]);
}

describe('ScheduleWindows', () => {
  it('merges an update into what is stored now, not into what this node last read', async () => {
    const { settings, clock, a, b } = await twoNodes();
    await a.update({ windows: [{ category: 'gpu_encode', start: '22:00', end: '07:00', atClose: 'finish' }] });
    await clock.advance(1);
    // node B has not reloaded since: its time-zone change keeps A's window
    await b.update({ timeZone: 'Europe/Berlin' });
    await expectBothStored(settings);
    await a.stop();
    await b.stop();
  });

  it('keeps both changes when two nodes save at the same moment (the other save lands between the read and the write)', async () => {
    const { settings, clock, a, b } = await twoNodes();
    raceNextWrite(settings, async () => {
      await clock.advance(1);
      await b.update({ timeZone: 'Europe/Berlin' });
    });
    await a.update({ windows: [{ category: 'gpu_encode', start: '22:00', end: '07:00', atClose: 'finish' }] });
    await expectBothStored(settings);
    await a.stop();
    await b.stop();
  });
});

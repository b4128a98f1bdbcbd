/** LiveSettings: stored values over the configuration, environment locks, and every change pushed to its users. */
import { describe, expect, it } from 'vitest';
import type { RuntimeSettings } from '../../shared/contracts/settings';
import { loadConfig } from './config';
import { LiveSettings, RUNTIME_SETTINGS_KEY } from './live-settings';
import { MemorySettingsStore } from './memory-settings';
import { holdNextRead, raceNextWrite } from './testing/held-settings-read';

function make(env: Record<string, string> = {}, settings = new MemorySettingsStore(), clock = { now: () => 1_000 }) {
  const applied: RuntimeSettings[] = [];
  const live = new LiveSettings({ settings, config: loadConfig({ MEDIA_DATA_DIR: '/tmp/x', ...env }), env, clock, logger: { warn() {} }, onApplied: (s) => applied.push(s) });
  return { live, applied, settings };
}

/** Two nodes on one settings row, with one ticking clock. */
function twoNodes() {
  const settings = new MemorySettingsStore();
  let t = 1_000;
  const clock = { now: () => ++t };
  return { settings, a: make({}, settings, clock).live, b: make({}, settings, clock).live };
}

describe('LiveSettings', () => {
  it('starts from the configuration, applies stored values at load and each update at once', async () => {
    const settings = new MemorySettingsStore();
    await settings.writeSetting(RUNTIME_SETTINGS_KEY, { limits: { cpu: 2 }, retainFailedDays: 5 }, 500);
    const { live, applied } = make({}, settings);
    expect(live.values.limits.cpu).toBe(5);
    await live.load();
    expect(applied.at(-1)).toMatchObject({ limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 }, retainFailedDays: 5, retainCompletedDays: 30 });
    const state = await live.update({ hangTimeoutMs: 60_000, limits: { gpu_ai: 3 } });
    expect(state).toMatchObject({ source: 'stored', settings: { hangTimeoutMs: 60_000, limits: { cpu: 2, gpu_ai: 3 } } });
    expect(applied.at(-1)).toEqual(state.settings);
    expect((await settings.readSetting(RUNTIME_SETTINGS_KEY))?.value).toEqual({ limits: { cpu: 2, gpu_ai: 3 }, retainFailedDays: 5, hangTimeoutMs: 60_000 });
  });

  it('keeps what an environment variable sets, refuses to change it, and leaves it out of an export', async () => {
    const settings = new MemorySettingsStore();
    await settings.writeSetting(RUNTIME_SETTINGS_KEY, { limits: { cpu: 9 } }, 500);
    const { live } = make({ MEDIA_LIMIT_CPU: '3' }, settings);
    await live.load();
    expect(live.values.limits.cpu).toBe(3);
    expect(live.state().locked).toEqual({ 'limits.cpu': 'MEDIA_LIMIT_CPU' });
    await expect(live.update({ limits: { cpu: 4 } })).rejects.toMatchObject({ code: 'SETTING_LOCKED', message: expect.stringContaining('MEDIA_LIMIT_CPU') });
    await expect(live.update({ limits: { cpu: 3 } })).resolves.toMatchObject({ settings: { limits: { cpu: 3 } } });
    await expect(live.update({ limits: { cpu: 4 }, retainCompletedDays: 1 }, { skipLocked: true })).resolves.toMatchObject({ settings: { limits: { cpu: 3 }, retainCompletedDays: 1 } });
    expect(live.exportable().limits).toEqual({ gpu_encode: 2, gpu_ai: 1 });
  });

  it('ignores a stored value that is not valid', async () => {
    const settings = new MemorySettingsStore();
    await settings.writeSetting(RUNTIME_SETTINGS_KEY, { limits: { cpu: -4 } }, 500);
    const { live } = make({}, settings);
    await live.load();
    expect(live.values.limits.cpu).toBe(5);
  });

  it('merges an update into what is stored now, not into what this node last read (two nodes, one settings row)', async () => {
    const { settings, a, b } = twoNodes();
    await a.load();
    await b.load();
    await a.update({ retainFailedDays: 7 });
    // node B has not polled since: its update keeps A's field
    await b.update({ hangTimeoutMs: 90_000 });
    expect((await settings.readSetting(RUNTIME_SETTINGS_KEY))?.value).toEqual({ retainFailedDays: 7, hangTimeoutMs: 90_000 });
    expect(b.values).toMatchObject({ retainFailedDays: 7, hangTimeoutMs: 90_000 });
  });

  it('keeps both fields when two nodes save at the same moment (the other save lands between the read and the write)', async () => {
    const { settings, a, b } = twoNodes();
    // B's save lands after A read the row to merge into and before A writes
    raceNextWrite(settings, async () => void (await b.update({ hangTimeoutMs: 90_000 })));
    await a.update({ retainFailedDays: 7 });
    expect((await settings.readSetting(RUNTIME_SETTINGS_KEY))?.value).toEqual({ retainFailedDays: 7, hangTimeoutMs: 90_000 });
    expect(a.values).toMatchObject({ retainFailedDays: 7, hangTimeoutMs: 90_000 });
  });

  it('keeps its own update when a read that started before it answers after it (a GET beside a PUT)', async () => {
    const settings = new MemorySettingsStore();
    let t = 1_000;
    const { live } = make({}, settings, { now: () => ++t });
    await live.load();
    await live.update({ retainFailedDays: 5 });
    // a read of the row as it is now, answered only after the update below
    const release = holdNextRead(settings);
    const get = live.load();
    await live.update({ retainFailedDays: 7 });
    release();
    await get;
    expect(live.values.retainFailedDays).toBe(7);
  });

  it('tells two rows written in the same millisecond apart (two nodes, one clock tick)', async () => {
    const settings = new MemorySettingsStore();
    const a = make({}, settings, { now: () => 5_000 }).live;
    const b = make({}, settings, { now: () => 5_000 }).live;
    await a.update({ retainFailedDays: 7 });
    await b.update({ hangTimeoutMs: 90_000 }); // the same updatedAt as A's row, another value
    await a.update({ vramHeadroomMb: 512 });
    expect((await settings.readSetting(RUNTIME_SETTINGS_KEY))?.value).toEqual({ retainFailedDays: 7, hangTimeoutMs: 90_000, vramHeadroomMb: 512 });
  });
});

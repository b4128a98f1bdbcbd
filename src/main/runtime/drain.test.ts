/** QueueDrain: marking a drain drained never writes over a row another node changed during the count. */
import { describe, expect, it } from 'vitest';
import type { DrainState } from '../../shared/contracts/queue-control';
import { DRAIN_KEY, QueueDrain } from './drain';
import { MemorySettingsStore } from './memory-settings';

function node(settings: MemorySettingsStore, countLive: () => Promise<number>) {
  let t = 1_000;
  const changes: DrainState['state'][] = [];
  const flags = { paused: false };
  const drain = new QueueDrain({
    settings,
    clock: { now: () => ++t, monotonicMs: () => t },
    isPaused: () => flags.paused,
    setPaused: async (p) => void (flags.paused = p),
    countLive,
    onChange: (s) => changes.push(s.state),
    logger: { info() {}, error() {} },
  });
  return { drain, changes, flags };
}

describe('QueueDrain', () => {
  it('marks the drain drained once nothing is live', async () => {
    const settings = new MemorySettingsStore();
    const { drain, changes } = node(settings, async () => 0);
    expect((await drain.drain()).state).toBe('drained');
    expect(changes).toEqual(['draining', 'drained']);
    expect((await settings.readSetting(DRAIN_KEY))?.value).toMatchObject({ drainedAt: expect.any(Number) });
  });

  it('does not bring back a drain another node ended during its count (its pause flag not re-read yet)', async () => {
    const settings = new MemorySettingsStore();
    let release!: (n: number) => void;
    let counts = 0;
    const a = node(settings, () => (++counts === 1 ? Promise.resolve(2) : new Promise<number>((r) => (release = r))));
    expect((await a.drain.drain()).state).toBe('draining');
    const counting = a.drain.check();
    await new Promise((r) => setImmediate(r));
    // node B resumes the queue: the drain record is removed (QueueDrain.end on B)
    await settings.writeSetting(DRAIN_KEY, null, 5_000);
    release(0);
    await counting;
    expect((await settings.readSetting(DRAIN_KEY))?.value).toBeNull();
    expect(a.drain.state().state).toBe('off');
    expect(a.changes).toEqual(['draining', 'off']);
  });
});

import { describe, expect, it } from 'vitest';
import { StatsNotifier } from './stats-notifier';
import { ManualClock } from './testing/manual-clock';

describe('StatsNotifier', () => {
  it('emits once per interval however many changes came, and nothing after a stop', async () => {
    const clock = new ManualClock();
    let emitted = 0;
    const stats = new StatsNotifier(async () => void (emitted += 1), 500, clock);
    stats.start();
    for (let i = 0; i < 50; i++) stats.changed();
    await clock.advance(499);
    expect(emitted).toBe(0);
    await clock.advance(1);
    expect(emitted).toBe(1);
    stats.changed();
    await stats.stop();
    await clock.advance(1_000);
    expect(emitted).toBe(1);
  });
});

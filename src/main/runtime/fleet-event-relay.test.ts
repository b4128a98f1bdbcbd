import { describe, expect, it } from 'vitest';
import type { FleetEventBatch } from '../core/fleet-ports';
import { FleetEventRelay, splitIntoBatches } from './fleet-event-relay';
import { ManualClock } from './testing/manual-clock';

const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const size = (b: unknown) => Buffer.byteLength(JSON.stringify({ ...(b as object), i: '00000000-0000-4000-8000-000000000000' }));

describe('splitIntoBatches (fleet event relay)', () => {
  it('keeps a quiet window in one notification', () => {
    const batches = splitIntoBatches([id(1)], new Map([[id(1), 40]]), [{ jobId: id(1), at: '2026-11-29T10:00:00.000Z', text: 'Progress: 40%' }]);
    expect(batches).toEqual([{ jobIds: [id(1)], progress: { [id(1)]: 40 }, logs: [{ jobId: id(1), at: '2026-11-29T10:00:00.000Z', text: 'Progress: 40%' }] }]);
  });

  it('splits a busy window under PostgreSQL’s 8,000-byte payload limit, never losing a job id or progress', () => {
    const ids = Array.from({ length: 1_000 }, (_, i) => id(i));
    const progress = new Map(ids.slice(0, 300).map((j, i) => [j, i % 100]));
    const batches = splitIntoBatches(ids, progress, []);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(size(b)).toBeLessThan(8_000);
    expect(batches.flatMap((b) => b.jobIds)).toEqual(ids);
    expect(Object.assign({}, ...batches.map((b) => b.progress))).toEqual(Object.fromEntries(progress));
  });

  it('drops a line too long to relay and the lines of a flood beyond the cap (the stored log keeps them)', () => {
    const long = { jobId: id(1), at: '2026-11-29T10:00:00.000Z', text: 'x'.repeat(5_000) };
    const lines = Array.from({ length: 5_000 }, (_, i) => ({ jobId: id(1), at: '2026-11-29T10:00:00.000Z', text: `line ${i} ${'y'.repeat(80)}` }));
    const batches = splitIntoBatches([id(1)], new Map(), [long, ...lines]);
    for (const b of batches) expect(size(b)).toBeLessThan(8_000);
    const relayed = batches.flatMap((b) => b.logs);
    expect(relayed).not.toContainEqual(long);
    expect(relayed.length).toBeGreaterThan(100);
    expect(relayed.length).toBeLessThan(lines.length);
    expect(relayed).toEqual(lines.slice(0, relayed.length)); // in order, a prefix
  });
});

describe('FleetEventRelay (timers)', () => {
  it('sends one window of changes per flush interval, and what is left at stop', async () => {
    const clock = new ManualClock();
    const published: FleetEventBatch[] = [];
    const relay = new FleetEventRelay({ publish: (b) => published.push(b), subscribe: () => () => {} }, { hasListeners: () => false, deliver: async () => {} }, 250, clock);
    relay.start();
    relay.jobsChanged(['a', 'b']);
    relay.progressed('a', 40);
    await clock.advance(249);
    expect(published).toEqual([]);
    await clock.advance(1);
    expect(published).toEqual([{ jobIds: ['a', 'b'], progress: { a: 40 }, logs: [] }]);
    relay.jobsChanged(['c']);
    await relay.stop();
    expect(published.at(-1)).toEqual({ jobIds: ['c'], progress: {}, logs: [] });
    expect(clock.pendingTimers).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { StabilityGate } from './stability-gate';

const sig = (sizeBytes: number, mtimeMs = 1000) => ({ sizeBytes, mtimeMs });

describe('StabilityGate', () => {
  it('lets a file through only after its size and mtime stayed the same for stableMs', () => {
    const gate = new StabilityGate<string>(2000);
    gate.observe('a.mp4', sig(10), 0, 'meta');
    expect(gate.due(1999)).toEqual([]);
    expect(gate.nextDueAt()).toBe(2000);
    expect(gate.due(2000)).toEqual([{ path: 'a.mp4', meta: 'meta' }]);
    expect(gate.confirm('a.mp4', sig(10), 2000)).toBe('stable');
    expect(gate.size).toBe(0);
  });

  it('restarts the quiet period on every change, seen by an event or by the check', () => {
    const gate = new StabilityGate(2000);
    gate.observe('a.mp4', sig(10), 0, undefined);
    gate.observe('a.mp4', sig(20, 1500), 1500, undefined); // an event: it grew
    expect(gate.due(2000)).toEqual([]);
    expect(gate.nextDueAt()).toBe(3500);
    // the check at the end finds it grew again since the last event: it waits stableMs more
    expect(gate.confirm('a.mp4', sig(30, 3400), 3500)).toBe('changed');
    expect(gate.nextDueAt()).toBe(5500);
    expect(gate.confirm('a.mp4', sig(30, 3400), 5500)).toBe('stable');
  });

  it('an unchanged observation does not restart the quiet period', () => {
    const gate = new StabilityGate(1000);
    gate.observe('a.mp4', sig(10), 0, undefined);
    gate.observe('a.mp4', sig(10), 900, undefined);
    expect(gate.confirm('a.mp4', sig(10), 1000)).toBe('stable');
  });

  it('a size change with the same mtime (coarse mtimes) is a change', () => {
    const gate = new StabilityGate(1000);
    gate.observe('a.mp4', sig(10, 5000), 0, undefined);
    expect(gate.confirm('a.mp4', sig(11, 5000), 1000)).toBe('changed');
  });

  it('forgets files and folders that went away, and answers unknown for them', () => {
    const gate = new StabilityGate(0);
    gate.observe('videos/a/x.mp4', sig(1), 0, undefined);
    gate.observe('videos/a/y.mp4', sig(1), 0, undefined);
    gate.observe('videos/ab.mp4', sig(1), 0, undefined);
    gate.forgetUnder('videos/a');
    expect(gate.due(0).map((d) => d.path)).toEqual(['videos/ab.mp4']);
    gate.forget('videos/ab.mp4');
    expect(gate.confirm('videos/ab.mp4', sig(1), 0)).toBe('unknown');
    expect(gate.nextDueAt()).toBeNull();
  });

  it('postpone starts the quiet period again (a file that could not be read yet)', () => {
    const gate = new StabilityGate(1000);
    gate.observe('a.mp4', sig(1), 0, undefined);
    gate.postpone('a.mp4', 800);
    expect(gate.confirm('a.mp4', sig(1), 1000)).toBe('early');
    expect(gate.confirm('a.mp4', sig(1), 1800)).toBe('stable');
  });
});

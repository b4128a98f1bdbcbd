/** SettingsRowGuard: a read overlapping a local write is stale; rows are told apart by time and value. */
import { describe, expect, it } from 'vitest';
import { SettingsRowGuard } from './settings-row-guard';

const later = <T>(value: T) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  return { promise: held.then(() => value), release };
};

describe('SettingsRowGuard', () => {
  it('answers new, then same for the same row, and new for another value written in the same millisecond', async () => {
    const guard = new SettingsRowGuard();
    expect(await guard.reading(async () => null)).toEqual({ kind: 'new', row: null });
    expect(await guard.reading(async () => null)).toEqual({ kind: 'same' });
    const a = { value: { x: 1 }, updatedAt: 5 };
    expect(await guard.reading(async () => a)).toEqual({ kind: 'new', row: a });
    expect(await guard.reading(async () => ({ value: { x: 1 }, updatedAt: 5 }))).toEqual({ kind: 'same' });
    const b = { value: { x: 2 }, updatedAt: 5 };
    expect(await guard.reading(async () => b)).toEqual({ kind: 'new', row: b });
  });

  it('answers stale for a read that started before a local write ended, and same for the written row read back', async () => {
    const guard = new SettingsRowGuard();
    const old = later({ value: { x: 1 }, updatedAt: 5 });
    const reading = guard.reading(() => old.promise);
    await guard.writing(async () => {}, { value: { x: 2 }, updatedAt: 6 });
    old.release();
    expect(await reading).toEqual({ kind: 'stale' });
    // a read started during a write is stale too, whatever it returns
    const write = later(undefined);
    const writing = guard.writing(() => write.promise, { value: { x: 3 }, updatedAt: 7 });
    const during = guard.reading(async () => ({ value: { x: 2 }, updatedAt: 6 }));
    write.release();
    await writing;
    expect(await during).toEqual({ kind: 'stale' });
    expect(await guard.reading(async () => ({ value: { x: 3 }, updatedAt: 7 }))).toEqual({ kind: 'same' });
  });
});

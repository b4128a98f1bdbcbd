/** SettingsRowGuard: a read overlapping a local write, or answering after a later-issued read, is stale; rows are told apart by time and value. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contracts/errors';
import type { SettingsStore } from '../core/watch-ports';
import { MemorySettingsStore } from './memory-settings';
import { SettingsRowGuard } from './settings-row-guard';

/** A store where other saves land between each read and the compare and set that follows it (`times` of them). */
function racedStore(times: number, other: (n: number) => Promise<void>): { store: SettingsStore; memory: MemorySettingsStore; reads: () => number } {
  const memory = new MemorySettingsStore();
  let reads = 0;
  let raced = 0;
  const store: SettingsStore = {
    readSetting: async (key) => (reads++, memory.readSetting(key)),
    writeSetting: (key, value, at) => memory.writeSetting(key, value, at),
    writeSettingIf: async (key, value, at, expected) => {
      if (raced < times) await other(++raced);
      return memory.writeSettingIf(key, value, at, expected);
    },
  };
  return { store, memory, reads: () => reads };
}

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

  it('takes the row written for the row read back with its keys in another order (PostgreSQL jsonb)', async () => {
    const guard = new SettingsRowGuard();
    await guard.writing(async () => true, { value: { windows: [{ start: '22:00', end: '07:00' }], timeZone: 'UTC' }, updatedAt: 9 });
    expect(await guard.reading(async () => ({ value: { timeZone: 'UTC', windows: [{ end: '07:00', start: '22:00' }] }, updatedAt: 9 }))).toEqual({ kind: 'same' });
    // an array's order is part of the value
    const reordered = { value: { timeZone: 'UTC', windows: [{ start: '01:00', end: '02:00' }, { start: '22:00', end: '07:00' }] }, updatedAt: 9 };
    await guard.writing(async () => true, { value: { timeZone: 'UTC', windows: [{ start: '22:00', end: '07:00' }, { start: '01:00', end: '02:00' }] }, updatedAt: 9 });
    expect(await guard.reading(async () => reordered)).toEqual({ kind: 'new', row: reordered });
  });

  it('answers stale for a read that started before a local write ended, and same for the written row read back', async () => {
    const guard = new SettingsRowGuard();
    const old = later({ value: { x: 1 }, updatedAt: 5 });
    const reading = guard.reading(() => old.promise);
    await guard.writing(async () => true, { value: { x: 2 }, updatedAt: 6 });
    old.release();
    expect(await reading).toEqual({ kind: 'stale' });
    // a read started during a write is stale too, whatever it returns
    const write = later(undefined);
    const writing = guard.writing(() => write.promise.then(() => true), { value: { x: 3 }, updatedAt: 7 });
    const during = guard.reading(async () => ({ value: { x: 2 }, updatedAt: 6 }));
    write.release();
    await writing;
    expect(await during).toEqual({ kind: 'stale' });
    expect(await guard.reading(async () => ({ value: { x: 3 }, updatedAt: 7 }))).toEqual({ kind: 'same' });
  });

  it('answers stale for a read whose answer comes after that of a read issued later (out of order), so the older row is never applied', async () => {
    const guard = new SettingsRowGuard();
    const v1 = { value: { x: 1 }, updatedAt: 5 };
    const v2 = { value: { x: 2 }, updatedAt: 6 };
    expect(await guard.reading(async () => v1)).toEqual({ kind: 'new', row: v1 });
    // a poll's read, issued before another node's save, answers after the wake-up's read that saw the save
    const poll = later(v1);
    const polling = guard.reading(() => poll.promise);
    expect(await guard.reading(async () => v2)).toEqual({ kind: 'new', row: v2 });
    poll.release();
    expect(await polling).toEqual({ kind: 'stale' });
    // a later read that only confirms the row ('same') also outranks an older one still in flight
    const older = later(v1);
    const olderReading = guard.reading(() => older.promise);
    expect(await guard.reading(async () => v2)).toEqual({ kind: 'same' });
    older.release();
    expect(await olderReading).toEqual({ kind: 'stale' });
    // reads answering in the order issued are each applied
    const first = later(v1);
    const second = later(v2);
    const a = guard.reading(() => first.promise);
    const b = guard.reading(() => second.promise);
    first.release();
    expect(await a).toEqual({ kind: 'new', row: v1 });
    second.release();
    expect(await b).toEqual({ kind: 'new', row: v2 });
  });

  it('save merges into the row stored at the write: a save by another node in between is read again and kept', async () => {
    let now = 100;
    const { store, memory, reads } = racedStore(1, async () => {
      // node B saves another field after node A read the row and before A writes
      await memory.writeSetting('runtime', { cpu: 3, hang: 60 }, ++now);
    });
    await memory.writeSetting('runtime', { cpu: 2, hang: 60 }, now);
    const guard = new SettingsRowGuard();
    const saved = await guard.save(store, 'runtime', () => ++now, (row) => ({ ...(row?.value as object), hang: 90 }));
    // without the compare and set, A's write (built from { cpu: 2 }) would have put cpu back to 2
    expect(saved.value).toEqual({ cpu: 3, hang: 90 });
    expect(await memory.readSetting('runtime')).toEqual({ value: { cpu: 3, hang: 90 }, updatedAt: saved.updatedAt });
    expect(reads()).toBe(2);
    // the row saved is the one this node knows: reading it back is `same`
    expect(await guard.reading(() => memory.readSetting('runtime'))).toEqual({ kind: 'same' });
  });

  it('save writes nothing when build throws, and gives up with a 409 when other saves keep landing in between', async () => {
    const { store, memory } = racedStore(Infinity, async (n) => memory.writeSetting('k', { n }, n));
    const guard = new SettingsRowGuard();
    await expect(guard.save(store, 'k', () => 0, () => {
      throw new AppError('VALIDATION_FAILED', 'no');
    })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await memory.readSetting('k')).toBeNull();
    const error = await guard.save(store, 'k', () => 1_000, () => ({ mine: true })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VERSION_CONFLICT' });
    expect((await memory.readSetting('k'))!.value).not.toEqual({ mine: true });
  });
});

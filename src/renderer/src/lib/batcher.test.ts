import { describe, expect, it } from 'vitest';
import { manualTimers } from '../testing/fake-client';
import { createBatcher } from './batcher';

describe('createBatcher', () => {
  it('applies a burst as one batch, then at most once per interval', () => {
    const timers = manualTimers();
    const batches: number[][] = [];
    const b = createBatcher<number>((items) => batches.push(items), 250, timers);
    b.push([1]);
    b.push([2, 3]);
    expect(batches).toEqual([]);
    timers.advance(0);
    expect(batches).toEqual([[1, 2, 3]]);
    // within the interval: held until 250 ms after the last flush
    timers.advance(10);
    b.push([4]);
    timers.advance(100);
    b.push([5]);
    expect(batches).toHaveLength(1);
    timers.advance(140);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('flush applies at once and dispose drops what waits', () => {
    const timers = manualTimers();
    const batches: string[][] = [];
    const b = createBatcher<string>((items) => batches.push(items), 250, timers);
    b.push(['a']);
    b.flush();
    expect(batches).toEqual([['a']]);
    b.push(['b']);
    b.dispose();
    timers.advance(1000);
    expect(batches).toEqual([['a']]);
  });
});

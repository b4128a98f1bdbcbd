import { describe, expect, it } from 'vitest';
import { segmentGuardVerdict } from './segment-guard';

const chunk = (bytes: number, durationSeconds = 10) => ({ bytes, durationSeconds });

describe('segmentGuardVerdict', () => {
  it('waits for 3 chunks or a quarter of the video, then applies the unsegmented rule (projected over the original by 2 %)', () => {
    // 100 s, original 1 MB: two chunks of 10 s at 200 kB each project 2 MB, but 20 % and two chunks are not enough yet
    expect(segmentGuardVerdict([chunk(200_000), chunk(200_000)], 100, 1_000_000)).toBeNull();
    expect(segmentGuardVerdict([chunk(200_000), chunk(200_000), chunk(200_000)], 100, 1_000_000)).toMatch(/^live guard: at 30 % the output is projected at 2\.00 MB, larger than the original's 1\.00 MB \(3 chunk\(s\) finished\)$/);
    // one chunk holding a quarter of the video is enough
    expect(segmentGuardVerdict([chunk(500_000, 25)], 100, 1_000_000)).toMatch(/^live guard: at 25 %/);
  });

  it('lets an output that shrinks, or barely grows, go on', () => {
    expect(segmentGuardVerdict([chunk(50_000), chunk(50_000), chunk(50_000)], 100, 1_000_000)).toBeNull();
    expect(segmentGuardVerdict([chunk(101_000), chunk(101_000), chunk(101_000)], 100, 3_000_000)).toBeNull();
    expect(segmentGuardVerdict([chunk(101_000), chunk(101_000), chunk(101_000)], 100, 1_000_000)).toBeNull();
    expect(segmentGuardVerdict([], 0, 1_000_000)).toBeNull();
  });
});

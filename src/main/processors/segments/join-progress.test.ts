import { describe, expect, it } from 'vitest';
import type { JobContext } from '../processor';
import { joinPercent, PARTS_SHARE, reportAsJoin } from './join-progress';

describe('join progress (#20)', () => {
  it('maps the join run into the share the parts leave, starting where the parts ended', () => {
    expect(joinPercent(0)).toBe(PARTS_SHARE);
    expect(joinPercent(50)).toBe(95);
    expect(joinPercent(100)).toBe(100);
    expect(joinPercent(140)).toBe(100);
  });

  it('re-routes every report of the join attempt, so the parent never goes backwards', () => {
    const seen: number[] = [];
    const ctx = { progress: (p: number) => seen.push(p) } as unknown as JobContext;
    reportAsJoin(ctx);
    // what transcode-processor reports: the join in 0–80, the checks in 80–97, then 100
    for (const p of [0, 40, 80, 97, 100]) ctx.progress(p);
    expect(seen).toEqual([90, 90, 94, 98, 99.7, 100]);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});

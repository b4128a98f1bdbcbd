/**
 * A segmented encode's progress never goes backwards (#20), end to end through the embedded runtime
 * with real ffmpeg: while the parts run the parent's view aggregates them into 0–90 %; its join run
 * (chunk checks, concat, output checks, publishing) reports 90–100 %. Before, the parts reached
 * 97 % and the join restarted at 0 % (its own 0–80 % range).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTranscodeRuntime, type TranscodeRuntime } from '../transcode/testing/transcode-runtime';
import { PARTS_SHARE } from './join-progress';
import { segmentClip } from './testing/segment-clips';

let dir: string;
let t: TranscodeRuntime;
let ids: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-seg-progress-'));
  t = await openTranscodeRuntime(dir, { limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 } });
  await segmentClip(join(dir, 'library', 'videos'), 'film.mp4', 40, '320x180');
  ids = await t.scan();
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('segment mode progress', () => {
  it('goes from the parts (0–90 %) to the join (90–100 %) without going back', async () => {
    const runtime = t.embedded.runtime;
    const { id } = await runtime.execute('createJob', { type: 'transcode', params: { videoId: ids['film.mp4'], codec: 'h264', crf: 0, preset: 'ultrafast', skipIfCodec: false, skipBelowBitsPerPixel: 0, force: true, segments: { seconds: 10 }, outputPath: 'videos/out.mp4' } });
    let partsStarted = false;
    // what the user sees live: the parent's own progress events (its plan run, then its join run)
    const joinEvents: number[] = [];
    const unsubscribe = runtime.subscribe((e) => {
      if (e.type === 'job.progress' && e.jobId === id && partsStarted) joinEvents.push(e.progress);
    });
    // what a page read shows: the parent's view, read again and again until it ends
    const polled: { status: string; progress: number }[] = [];
    const deadline = Date.now() + 240_000;
    let final = await runtime.execute('getJob', { id });
    while (!['completed', 'failed', 'cancelled'].includes(final.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      final = await runtime.execute('getJob', { id });
      if (final.chunks) partsStarted = true;
      polled.push({ status: final.status, progress: final.progress });
    }
    unsubscribe();
    expect(final.status, final.log).toBe('completed');
    expect(final.log).toMatch(/Segment mode: \d+ chunks/);

    const progress = polled.map((p) => p.progress);
    expect(progress, 'the view never goes backwards').toEqual([...progress].sort((a, b) => a - b));
    const waiting = polled.filter((p) => p.status === 'pending' || p.status === 'queued').map((p) => p.progress);
    expect(waiting.length, 'the parent was seen waiting for its parts').toBeGreaterThan(0);
    expect(Math.max(...waiting), 'the parts fill at most their share').toBeLessThanOrEqual(PARTS_SHARE);
    expect(joinEvents.length, 'the join run reports progress').toBeGreaterThan(0);
    expect(joinEvents, 'the join run never goes backwards').toEqual([...joinEvents].sort((a, b) => a - b));
    expect(Math.min(...joinEvents), 'the join starts where the parts ended, not at 0 %').toBeGreaterThanOrEqual(Math.max(...waiting));
    expect(Math.min(...joinEvents)).toBeGreaterThanOrEqual(PARTS_SHARE);
    expect(joinEvents.at(-1)).toBe(100);
  }, 300_000);
});

/**
 * The chunk fence (#20): an attempt of a chunk whose lease was taken over (a frozen node that woke
 * up) writes its own partial (the attempt token in its name) and never renames it over the final
 * chunk: real store, real ffmpeg.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processorFixture, type ProcessorFixture } from '../library/testing';
import { discoverMediaTools } from '../media/tool-discovery';
import type { MediaDeps } from '../steps/media-deps';
import { encodeChunkProcessor } from './chunk-processors';
import { chunkName } from './segment-files';
import { segmentClip } from './testing/segment-clips';

let f: ProcessorFixture;
let deps: MediaDeps;

beforeAll(async () => {
  f = processorFixture();
  deps = { videos: f.stores.videos, library: f.library, tools: await discoverMediaTools(), toolsError: null, encoders: { available: ['libx264'], failed: [], preferred: 'libx264' } };
  await segmentClip(join(f.library.root, 'videos'), 'c.mp4', 4);
}, 60_000);

afterAll(() => f?.dispose());

describe('encode_chunk fence', () => {
  it('an attempt whose lease was taken over does not replace the final chunk', async () => {
    const parentJobId = randomUUID();
    const workDir = `.segments/${parentJobId}`;
    const params = { parentJobId, index: 0, total: 2, input: 'videos/c.mp4', workDir, seekSeconds: 0, startSeconds: 0, durationSeconds: 2, frames: 50, codec: 'h264', recipe: 'transcode', quality: 30, preset: 'ultrafast' };
    const ctx = await f.runningContext('encode_chunk', params);
    // the node froze: its attempt was rescued and the next attempt wrote (and checked) the chunk
    const rescued = await f.stores.jobs.rescueJobs('test', Date.now(), () => ({ kind: 'retry', retryCount: 1, retryAfter: 0, reason: 'lease lost' }));
    expect(rescued.map((j) => j.id)).toContain(ctx.job.id);
    const work = f.library.resolve(workDir);
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, chunkName(0)), 'THE CURRENT ATTEMPT');

    const error = await encodeChunkProcessor(deps).run(ctx).then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/no longer owns its job/);
    expect(readFileSync(join(work, chunkName(0)), 'utf8'), 'the final chunk is untouched').toBe('THE CURRENT ATTEMPT');
    expect(readdirSync(work).filter((n) => n.includes('partial')), 'its partial is removed').toEqual([]);
    expect(existsSync(join(work, chunkName(0)))).toBe(true);
  }, 60_000);
});

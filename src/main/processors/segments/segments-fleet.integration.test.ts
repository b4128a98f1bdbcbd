/**
 * Segment mode across a fleet (#20): two nodes on one PostgreSQL database share the chunks of one
 * transcode (both finish chunks: the work folder is in the shared library); node A is killed -9 while
 * it encodes a chunk; node B rescues that chunk when A's lease runs out, finishes the others, joins
 * once (one output, one ledger row) and the output is frame-exact. Only A's running chunk is redone.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childUntilReady } from '../../testing/child-until-ready';
import { startPostgres, type PostgresServer } from '../../storage/testing/postgres-server';
import { openTranscodeRuntime, type TranscodeRuntime } from '../transcode/testing/transcode-runtime';
import { frameHashes, segmentClip } from './testing/segment-clips';

const child = join(import.meta.dirname, 'testing', 'segment-fleet-child.ts');
let server: PostgresServer | undefined;
let b: TranscodeRuntime | undefined;
let dir = '';
afterAll(async () => {
  await b?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const attemptsOf = (log: string) => (log.match(/Started attempt \d+/g) ?? []).length;

describe('segment mode on a fleet of two nodes', () => {
  it('shares the chunks, survives the loss of a node mid-way, and completes once', async () => {
    server = await startPostgres();
    const databaseUrl = await server.createDatabase();
    dir = mkdtempSync(join(tmpdir(), 'mjc-segments-fleet-'));
    const videos = join(dir, 'library', 'videos');
    mkdirSync(videos, { recursive: true });
    const source = await segmentClip(videos, 'long.mp4', 60, '320x180');
    const fleet = { leaseMs: 3_000, heartbeatMs: 500, sweepMs: 500, pollMs: 500 };
    b = await openTranscodeRuntime(dir, { databaseUrl, nodeId: 'node-b', dataDir: join(dir, 'data-b'), limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 }, fleet });
    const ids = await b.scan();
    const a = childUntilReady<{ running: string[] }>(child, [dir, databaseUrl], 'RUNNING_CHUNK');
    const params = { videoId: ids['long.mp4'], codec: 'h264', crf: 0, preset: 'veryslow', skipIfCodec: false, skipBelowBitsPerPixel: 0, segments: { seconds: 10 }, outputPath: 'videos/seg.mp4' };
    const { id } = await b.embedded.runtime.execute('createJob', { type: 'transcode', params });
    const { state, kill } = await a;
    await kill();

    const job = await b.waitForEnd(id, 300_000);
    expect(job.status, job.log).toBe('completed');
    const { data } = await b.embedded.runtime.execute('getJobChildren', { id });
    const chunks = await Promise.all(data.filter((c) => c.type === 'encode_chunk').map((c) => b!.embedded.runtime.execute('getJob', { id: c.id })));
    for (const c of chunks) expect(c.status).toBe('completed');
    const finishedBy = new Set(chunks.map((c) => c.log.match(/Started attempt \d+ on node (\S+)/g)?.at(-1)?.split(' ').at(-1)));
    expect([...finishedBy].sort(), 'both nodes finished chunks').toEqual(['node-a', 'node-b']);
    const redone = chunks.filter((c) => attemptsOf(c.log) > 1).map((c) => c.id);
    expect(redone.sort(), "only the chunk node A was running is redone").toEqual([...state.running].sort());

    const savings = await b.embedded.runtime.execute('getSavings', { groupBy: 'day' });
    expect(savings.total.outcomes.copied, 'the job completed once').toBe(1);
    expect(readdirSync(videos).sort()).toEqual(['long.mp4', 'seg.mp4']);
    const [src, out] = await Promise.all([frameHashes(source), frameHashes(join(videos, 'seg.mp4'))]);
    expect(out.length).toBe(src.length);
    expect(out.findIndex((h, i) => h !== src[i])).toBe(-1);
  }, 400_000);
});

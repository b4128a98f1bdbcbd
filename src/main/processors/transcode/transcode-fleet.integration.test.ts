/**
 * A replace and a restore on a fleet node (the PostgreSQL stores, a real throwaway server): the
 * journaled swap commits through the PostgreSQL adapter (fenced by the job's lease), the savings are
 * computed there, and the restore brings the original back; a job that fails before reading its
 * input writes its `failed` row there too.
 */
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../storage/testing/postgres-server';
import { probeJson } from '../media/testing/clips';
import { replaceableClip } from './testing/fault-clips';
import { openTranscodeRuntime, type TranscodeRuntime } from './testing/transcode-runtime';

let server: PostgresServer;
let dir: string;
let t: TranscodeRuntime;

beforeAll(async () => {
  server = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'mjc-transcode-fleet-'));
  t = await openTranscodeRuntime(dir, { databaseUrl: await server.createDatabase() });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('transcode on a fleet node (PostgreSQL)', () => {
  it('replaces with proof, counts the saving, and restores', async () => {
    expect(t.embedded.database).toBe('postgresql');
    const original = readFileSync(await replaceableClip(join(t.root, 'videos'), 'a.mp4'));
    const ids = await t.scan();
    const job = await t.runJob('transcode', { videoId: ids['a.mp4'], codec: 'hevc', mode: 'replace', crf: 28, preset: 'veryfast' });
    expect(job.status, job.log).toBe('completed');
    const result = await t.embedded.runtime.execute('getJobResult', { id: job.id });
    expect(result).toMatchObject({ outcome: 'replaced', nodeId: 'transcode-node' });
    expect((await probeJson(join(t.root, 'videos', 'a.mp4'))).streams[0]!.codec_name).toBe('hevc');
    expect(await t.embedded.runtime.execute('getVideo', { id: ids['a.mp4']! })).toMatchObject({ videoCodec: 'hevc', hasAudio: true, sizeBytes: result.bytesOut });
    const savings = await t.embedded.runtime.execute('getSavings', { groupBy: 'node' });
    expect(savings.groups).toEqual([expect.objectContaining({ key: 'transcode-node', bytesSaved: result.bytesIn - result.bytesOut! })]);
    await t.embedded.runtime.execute('restoreVideo', { id: ids['a.mp4']! });
    expect(readFileSync(join(t.root, 'videos', 'a.mp4')).equals(original)).toBe(true);
    expect(await t.embedded.runtime.execute('getVideo', { id: ids['a.mp4']! })).toMatchObject({ videoCodec: 'h264', sizeBytes: original.length });
  });

  it('writes the failed row of a transcode whose file is gone, saving nothing', async () => {
    const size = readFileSync(await replaceableClip(join(t.root, 'videos'), 'gone.mp4', 1)).length;
    const ids = await t.scan();
    unlinkSync(join(t.root, 'videos', 'gone.mp4'));
    const before = await t.embedded.runtime.execute('getSavings', { groupBy: 'node' });
    const job = await t.runJob('transcode', { videoId: ids['gone.mp4'], codec: 'hevc', mode: 'replace' });
    expect(job.status, job.log).toBe('failed');
    expect(await t.embedded.runtime.execute('getJobResult', { id: job.id })).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/^Input file is missing/), bytesIn: size, bytesOut: null, nodeId: 'transcode-node' });
    const after = await t.embedded.runtime.execute('getSavings', { groupBy: 'node' });
    expect(after.total.outcomes.failed).toBe(before.total.outcomes.failed + 1);
    expect(after.total.bytesSaved).toBe(before.total.bytesSaved);
  });
});

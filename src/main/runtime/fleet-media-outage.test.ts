/**
 * Issue #14, finding 7 with the real program: a fleet node (the headless server with its FFmpeg
 * processors) re-encodes a clip while PostgreSQL restarts. The encode must finish on its first
 * attempt (no retry spent, no error), and its output must decode cleanly and be recorded.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/contracts/job';
import { makeClip, TEST_FFMPEG } from '../processors/media/testing/clips';
import { eventually as until } from '../testing/eventually';
import { startPostgres, type PostgresServer } from '../storage/testing/postgres-server';
import { startNodeProcess, type NodeProcess } from './testing/fleet-process';

const run = promisify(execFile);


describe('fleet: PostgreSQL restarts while a node encodes', { timeout: 180_000 }, () => {
  let server: PostgresServer;
  let node: NodeProcess | null = null;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await node?.kill();
    await server?.stop();
  });

  it('finishes the encode on its first attempt, recorded and decodable', async () => {
    const url = await server.createDatabase();
    const library = mkdtempSync(join(tmpdir(), 'mjc-outage-library-'));
    mkdirSync(join(library, 'videos'), { recursive: true });
    await makeClip(join(library, 'videos'), 'long.mp4', { width: 1280, height: 720, seconds: 20 });
    node = await startNodeProcess('enc', { DATABASE_URL: url, MEDIA_LIBRARY_PATH: library, MEDIA_LEASE_MS: '20000', MEDIA_HEARTBEAT_MS: '1000', MEDIA_POLL_MS: '500' }, 90_000, 'media');
    const api = node.api;
    const scan = await api<{ id: string }>('POST', '/api/media/jobs', { type: 'scan', params: { directoryType: 'videos' } });
    await until(async () => (await api<Job>('GET', `/api/media/jobs/${scan.id}`)).status === 'completed', 60_000, 'the scan');
    const [video] = (await api<{ data: { id: string }[] }>('GET', '/api/media/videos?directoryType=videos')).data;
    const { id } = await api<{ id: string }>('POST', '/api/media/jobs', { type: 'reencode_streaming', params: { videoId: video!.id } });
    await until(async () => {
      const job = await api<Job>('GET', `/api/media/jobs/${id}`);
      return job.status === 'running' && job.progress > 0;
    }, 60_000, 'the encode to progress');

    await server.restart();

    const job = await until(async () => {
      const j = await api<Job & { log: string }>('GET', `/api/media/jobs/${id}`);
      return j.status === 'completed' || j.status === 'failed' || j.retryCount > 0 ? j : false;
    }, 120_000, 'the encode to end');
    expect(job.status, job.log).toBe('completed');
    expect(job.retryCount, job.log).toBe(0);
    expect(job.lastError).toBeNull();
    const outputs = (await api<{ data: { path: string }[] }>('GET', '/api/media/videos?directoryType=playback')).data;
    expect(outputs).toHaveLength(1);
    const { stderr } = await run(TEST_FFMPEG, ['-v', 'error', '-nostdin', '-i', join(library, outputs[0]!.path), '-f', 'null', '-']);
    expect(stderr.trim()).toBe('');
    expect(node.output()).not.toMatch(/unhandled|Could not start/i);
  });
});

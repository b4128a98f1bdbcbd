/**
 * Issue #14's must-show: three real headless nodes (real FFmpeg processors) on one PostgreSQL
 * server share a library; one node is frozen (SIGSTOP) while it encodes, for longer than its lease,
 * and then released. Its jobs are rescued by the others, and the frozen node, once it runs again,
 * must publish nothing: every output decodes cleanly, there is exactly one output per job (no
 * `name (1).mp4` from the frozen node, no partial file left), and the rescuing attempts complete
 * without spending a retry of their own. Two re-encodes asked for the same output path run at once
 * on two nodes: both publish, under `same.mp4` and `same (1).mp4`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
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
const LEASE_MS = 4_000;
const CLIPS = 4;
/** Real waits: separate node processes and the database's lease clock (mjc_now_ms()) decide here; no test clock reaches them. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


/** Decode errors of a whole file (ffmpeg to null): '' when it decodes cleanly. */
async function decodeErrors(path: string): Promise<string> {
  const { stderr } = await run(TEST_FFMPEG, ['-v', 'error', '-nostdin', '-i', path, '-f', 'null', '-']).catch((e: { stderr?: string; message: string }) => ({ stderr: e.stderr ?? e.message }));
  return stderr.trim();
}

describe('fleet: a node frozen past its lease while encoding, then released', { timeout: 240_000 }, () => {
  let server: PostgresServer;
  let url: string;
  const nodes: NodeProcess[] = [];

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase();
  }, 60_000);
  afterAll(async () => {
    for (const n of nodes) n.child.kill('SIGCONT');
    await Promise.all(nodes.map((n) => n.kill()));
    await server?.stop();
  });

  it('publishes exactly one clean output per job, nothing from the frozen node, and the rescuers spend no retry', async () => {
    const library = mkdtempSync(join(tmpdir(), 'mjc-freeze-library-'));
    mkdirSync(join(library, 'videos'), { recursive: true });
    for (let i = 1; i <= CLIPS; i++) await makeClip(join(library, 'videos'), `clip-${i}.mp4`, { width: 1280, height: 720, seconds: 12 });
    const env = {
      DATABASE_URL: url,
      MEDIA_LIBRARY_PATH: library,
      MEDIA_LIMIT_CPU: '2',
      MEDIA_LIMIT_GPU_ENCODE: '1',
      MEDIA_LEASE_MS: String(LEASE_MS),
      MEDIA_HEARTBEAT_MS: '500',
      MEDIA_LEASE_SWEEP_MS: '500',
      MEDIA_POLL_MS: '500',
    };
    for (const id of ['n1', 'n2', 'n3']) nodes.push(await startNodeProcess(id, env, 90_000, 'media'));
    const [n1, n2] = nodes as [NodeProcess, NodeProcess, NodeProcess];

    const scan = await n1.api<{ id: string }>('POST', '/api/media/jobs', { type: 'scan', params: { directoryType: 'videos' } });
    await until(async () => (await n1.api<Job>('GET', `/api/media/jobs/${scan.id}`)).status === 'completed', 60_000, 'the scan');
    const videos = (await n1.api<{ data: { id: string }[] }>('GET', '/api/media/videos?directoryType=videos&limit=100')).data;
    expect(videos).toHaveLength(CLIPS);

    const jobIds: string[] = [];
    // two re-encodes asked for the same output, first in the queue: they run at once on two nodes
    for (const n of [n1, nodes[2]!]) jobIds.push((await n.api<{ id: string }>('POST', '/api/media/jobs', { type: 'reencode_streaming', priority: 1, params: { videoId: videos[0]!.id, outputPath: 'playback/shared/same.mp4' } })).id);
    for (const v of videos) {
      jobIds.push((await n1.api<{ id: string }>('POST', '/api/media/jobs', { type: 'reencode_streaming', params: { videoId: v.id } })).id);
      jobIds.push((await n1.api<{ id: string }>('POST', '/api/media/jobs', { type: 'thumbnail_generate', params: { videoId: v.id } })).id);
    }

    // freeze n2 while it encodes (its ffmpeg goes on: only the node process stops)
    const frozenJobs = await until(async () => {
      const running = (await n1.api<{ data: Job[] }>('GET', '/api/media/jobs?status=running&limit=100')).data;
      const onN2 = running.filter((j) => j.nodeId === 'n2' && j.type === 'reencode_streaming');
      return onN2.length > 0 ? running.filter((j) => j.nodeId === 'n2').map((j) => j.id) : false;
    }, 60_000, 'n2 to encode');
    n2.child.kill('SIGSTOP');
    // just past the lease: the sweep rescues its jobs and another node starts them again; n2 comes
    // back while those rescuing attempts are still encoding the same outputs
    await until(async () => {
      const jobs = await Promise.all(frozenJobs.map((id) => n1.api<Job>('GET', `/api/media/jobs/${id}`)));
      return jobs.every((j) => j.nodeId !== 'n2' || j.status !== 'running');
    }, 60_000, "n2's jobs to be rescued"); // a claim n2 froze inside holds its rows until the server ends its session (30 s)
    await sleep(1_000);
    n2.child.kill('SIGCONT');

    const finals = await until(async () => {
      const jobs = await Promise.all(jobIds.map((id) => n1.api<Job & { log: string }>('GET', `/api/media/jobs/${id}`)));
      return jobs.every((j) => j.status === 'completed' || j.status === 'failed' || j.status === 'cancelled') ? jobs : false;
    }, 150_000, 'every job to end');
    await sleep(2_000); // n2's fenced attempts wind down

    for (const job of finals) {
      expect(job.status, `${job.type} ${job.id}: ${job.lastError}\n${job.log}`).toBe('completed');
      // the rescue of n2's attempt spends one retry; the rescuing attempt must not spend another
      const ranOnN2 = /Started attempt 1 on node n2/.test(job.log);
      expect(job.retryCount, job.log).toBeLessThanOrEqual(ranOnN2 ? 1 : 0);
    }
    // the jobs n2 held when it froze were rescued (one retry each) and finished by the next attempt
    for (const id of frozenJobs) expect(finals.find((j) => j.id === id)?.retryCount, id).toBe(1);

    const shared = readdirSync(join(library, 'playback', 'shared')).sort();
    expect(shared, 'two jobs, one asked-for name: both published, neither over the other').toEqual(['same (1).mp4', 'same.mp4']);
    for (const file of shared) expect(await decodeErrors(join(library, 'playback', 'shared', file)), file).toBe('');
    const playback = readdirSync(join(library, 'playback')).filter((f) => f !== 'shared');
    const thumbnails = readdirSync(join(library, 'thumbnails'));
    expect(playback.filter((f) => f.includes('.partial.')), 'partials left').toEqual([]);
    expect(thumbnails.filter((f) => f.includes('.partial.')), 'partials left').toEqual([]);
    expect(playback.sort(), 'one re-encode per job').toHaveLength(CLIPS);
    expect(thumbnails.sort(), 'one thumbnail per job').toHaveLength(CLIPS);
    for (const file of playback) expect(await decodeErrors(join(library, 'playback', file)), file).toBe('');
    for (const file of thumbnails) expect(await decodeErrors(join(library, 'thumbnails', file)), file).toBe('');
    const recorded = (await n1.api<{ data: { path: string }[] }>('GET', '/api/media/videos?directoryType=playback&limit=100')).data.map((v) => v.path.split('/').at(-1));
    expect(recorded.sort()).toEqual([...playback, ...shared].sort());
  });
});

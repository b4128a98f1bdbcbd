/**
 * UUIDs are case-insensitive: an id in upper case reaches the same job or video as in lower case,
 * on every route that reads one by id (generated from the operations table; in this runtime some
 * answer 404 either way, having no transcode or analysis records: those check only that both cases
 * answer alike), the actions by an upper-case job id act on the job, and an upper-case video id in
 * a create is stored in lower case.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../shared/contracts/operations';
import { JOB_TYPE_CATALOG } from '../../shared/domain/job-types';
import { startTestRuntime, type TestRuntime } from '../runtime/testing/test-runtime';
import { createServer } from './create-server';
import { httpClient } from './testing/http-client';
import { testTokenRegistry } from './testing/test-tokens';

const TOKEN = 'uppercase-ids-test-token-0123456789ab';
let t: TestRuntime;
let app: FastifyInstance;
let api: ReturnType<typeof httpClient>;
let videoId: string;
let jobId: string;

beforeAll(async () => {
  t = await startTestRuntime({ catalog: JOB_TYPE_CATALOG, config: { declaredVramMb: 16000 } });
  const [video] = await t.videos.addVideos([{ id: randomUUID(), path: 'videos/a.mp4', directoryType: 'videos', sizeBytes: 1, mtimeMs: 1, at: Date.now() }]);
  videoId = video!.id;
  await t.runtime.execute('pauseQueue', {}); // jobs stay waiting
  app = await createServer({ runtime: t.runtime, tokens: testTokenRegistry(TOKEN), version: 'test', health: () => ({}), rendererDir: null });
  api = httpClient(await app.listen({ host: '127.0.0.1', port: 0 }), TOKEN);
  const created = await api('POST', '/api/media/jobs/reencode', { videoId: videoId.toUpperCase() });
  expect(created.status).toBe(201);
  jobId = created.body.id as string;
});

afterAll(async () => {
  await app?.close();
  await t?.dispose();
});

const reads = Object.entries(OPERATIONS)
  .map(([name, op]) => ({ name, method: op.method as string, path: op.path }))
  .filter((op) => op.method === 'GET' && /^\/api\/media\/(jobs|videos)\/:id(\/|$)/.test(op.path));

describe('ids in upper case', () => {
  it('covers the reads by job id and by video id', () => {
    expect(reads.map((r) => r.path)).toEqual(expect.arrayContaining(['/api/media/jobs/:id', '/api/media/jobs/:id/log', '/api/media/videos/:id']));
  });

  it.each(['/api/media/jobs/:id', '/api/media/jobs/:id/log', '/api/media/videos/:id'])('%s finds the record by an id in upper case (200)', async (path) => {
    const id = path.startsWith('/api/media/jobs/') ? jobId : videoId;
    const upper = await api('GET', path.replace(':id', id.toUpperCase()));
    expect(upper.status).toBe(200);
    if (!path.endsWith('/log')) expect(upper.body.id).toBe(id);
  });

  it.each(reads)('$name ($path) answers the same for an id in upper case', async ({ path }) => {
    const id = path.startsWith('/api/media/jobs/') ? jobId : videoId;
    const lower = await api('GET', path.replace(':id', id));
    const upper = await api('GET', path.replace(':id', id.toUpperCase()));
    expect(lower.status).not.toBe(400);
    expect(upper.status).toBe(lower.status);
    expect(upper.body).toEqual(lower.body);
  });

  it('stores a video id given in upper case in lower case', async () => {
    const job = await api('GET', `/api/media/jobs/${jobId}`);
    expect(job.body.params.videoId).toBe(videoId);
  });

  it('acts on the job named in upper case', async () => {
    const upper = jobId.toUpperCase();
    expect((await api('POST', `/api/media/jobs/${upper}/priority`, { priority: 8 })).status).toBe(200);
    expect((await api('POST', `/api/media/jobs/${upper}/pause`)).status).toBe(200);
    expect((await api('GET', `/api/media/jobs/${jobId}`)).body).toMatchObject({ status: 'paused', priority: 8 });
    expect((await api('POST', `/api/media/jobs/${upper}/resume`)).status).toBe(200);
    const cancelled = await api('POST', `/api/media/jobs/${upper}/cancel`);
    expect(cancelled.status).toBe(200);
    expect((await api('GET', `/api/media/jobs/${jobId}`)).body.status).toBe('cancelled');
    expect((await api('POST', `/api/media/jobs/${upper}/retry`)).status).toBe(200);
  });

  it('creates a job through the generic create with a video id in upper case, stored in lower case', async () => {
    const created = await api('POST', '/api/media/jobs', { type: 'validate', params: { videoId: videoId.toUpperCase() } });
    expect(created.status).toBe(201);
    expect((await api('GET', `/api/media/jobs/${created.body.id}`)).body.params.videoId).toBe(videoId);
  });

  it('still refuses what is not a UUID in either case', async () => {
    const bad = await api('GET', `/api/media/jobs/${jobId.toUpperCase()}X`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_ID');
  });
});

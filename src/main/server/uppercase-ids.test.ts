/**
 * UUIDs are case-insensitive: an id in upper case reaches the same job or video as in lower case,
 * on every route that reads one by id (generated from the operations table), an action by an
 * upper-case id acts on the job, and an upper-case video id in a create is stored in lower case.
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
    expect(reads.map((r) => r.path)).toEqual(expect.arrayContaining(['/api/media/jobs/:id', '/api/media/videos/:id', '/api/media/videos/:id/transcodes']));
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
    const cancelled = await api('POST', `/api/media/jobs/${jobId.toUpperCase()}/cancel`);
    expect(cancelled.status).toBe(200);
    expect((await api('GET', `/api/media/jobs/${jobId}`)).body.status).toBe('cancelled');
  });

  it('still refuses what is not a UUID in either case', async () => {
    const bad = await api('GET', `/api/media/jobs/${jobId.toUpperCase()}X`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_ID');
  });
});

/**
 * The spec's leftovers over real HTTP: POST /api/media/jobs/reencode (the created job, 201; 404 for
 * an unknown video; the reencode_streaming params' validation and defaults), and queuePosition
 * filled in job lists (the same numbers as the single-job read), with the real job type catalog.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_TYPE_CATALOG } from '../../shared/domain/job-types';
import { startTestRuntime, type TestRuntime } from '../runtime/testing/test-runtime';
import { createServer } from './create-server';
import { httpClient } from './testing/http-client';
import { testTokenRegistry } from './testing/test-tokens';

const TOKEN = 'reencode-test-token-0123456789abcdef';
let t: TestRuntime;
let app: FastifyInstance;
let api: ReturnType<typeof httpClient>;
let videoId: string;

beforeAll(async () => {
  t = await startTestRuntime({ catalog: JOB_TYPE_CATALOG, config: { declaredVramMb: 16000 } });
  const [video] = await t.videos.addVideos([{ id: randomUUID(), path: 'videos/a.mp4', directoryType: 'videos', sizeBytes: 1, mtimeMs: 1, at: Date.now() }]);
  videoId = video!.id;
  await t.runtime.execute('pauseQueue', {}); // jobs stay waiting, so their positions hold still
  app = await createServer({ runtime: t.runtime, tokens: testTokenRegistry(TOKEN), version: 'test', health: () => ({}), rendererDir: null });
  api = httpClient(await app.listen({ host: '127.0.0.1', port: 0 }), TOKEN);
});

afterAll(async () => {
  await app?.close();
  await t?.dispose();
});

describe('POST /api/media/jobs/reencode', () => {
  it('creates a reencode_streaming job with the spec defaults and answers the created job (201)', async () => {
    const created = await api('POST', '/api/media/jobs/reencode', { videoId });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'reencode_streaming',
      status: 'pending',
      progress: 0,
      resourceCategory: 'gpu_encode',
      vramRequired: 4000,
      priority: 5,
      params: { videoId, targetBitrate: 2000, preset: 'medium', crf: 23 },
      queuePosition: expect.any(Number),
      createdBy: expect.any(String),
    });
    const read = await api('GET', `/api/media/jobs/${created.body.id}`);
    expect(read.body.params).toEqual(created.body.params);
  });

  it('takes targetBitrate, preset, crf and priority', async () => {
    const created = await api('POST', '/api/media/jobs/reencode', { videoId, targetBitrate: 800, preset: 'veryfast', crf: 28, priority: 2 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ priority: 2, params: { videoId, targetBitrate: 800, preset: 'veryfast', crf: 28 } });
  });

  it('answers 404 NOT_FOUND for an unknown video and creates nothing', async () => {
    const before = (await api('GET', '/api/media/jobs?limit=1')).body.pagination.total;
    const missing = await api('POST', '/api/media/jobs/reencode', { videoId: randomUUID() });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect((await api('GET', '/api/media/jobs?limit=1')).body.pagination.total).toBe(before);
  });

  it('refuses invalid params with 400 naming the field, and unknown fields', async () => {
    for (const body of [{ videoId, crf: 60 }, { videoId, preset: 'warp' }, { videoId, targetBitrate: 10 }, { videoId, outputPath: '/etc/x.mp4' }, {}, { videoId: 'not-a-uuid' }]) {
      const refused = await api('POST', '/api/media/jobs/reencode', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('does not shadow the job routes next to it', async () => {
    // GET of the static segment is the job read (an id that is not a UUID), not this operation
    expect((await api('GET', '/api/media/jobs/reencode')).status).toBe(400);
    expect((await api('GET', '/api/media/jobs/stats')).status).toBe(200);
  });

  it('is documented in OpenAPI as a 201 with its body', async () => {
    const doc = (await api('GET', '/api/openapi.json')).body;
    const op = doc.paths['/api/media/jobs/reencode'].post;
    expect(op['x-required-role']).toBe('operate');
    expect(op.responses['201']).toBeDefined();
    expect(Object.keys(op.requestBody.content['application/json'].schema.properties).sort()).toEqual(['crf', 'preset', 'priority', 'targetBitrate', 'videoId']);
    expect(op.requestBody.content['application/json'].schema.properties.targetBitrate.description).toMatch(/ceiling/);
  });
});

describe('queuePosition in job lists', () => {
  it('fills every waiting job of a page with the position the single-job read gives, null for the others', async () => {
    for (let i = 0; i < 3; i++) await api('POST', '/api/media/jobs', { type: 'validate', params: { videoId }, priority: 3 + i });
    await api('POST', '/api/media/jobs', { type: 'scan', params: {}, priority: 1 });
    const cancelled = (await api('POST', '/api/media/jobs', { type: 'validate', params: { videoId } })).body.id;
    await api('POST', `/api/media/jobs/${cancelled}/cancel`);

    const list = await api('GET', '/api/media/jobs?limit=100');
    expect(list.status).toBe(200);
    const rows = list.body.data as Array<{ id: string; type: string; priority: number; resourceCategory: string; status: string; queuePosition: number | null }>;
    expect(rows.filter((r) => r.status === 'pending' || r.status === 'queued').length).toBeGreaterThanOrEqual(6);
    for (const row of rows) {
      const single = (await api('GET', `/api/media/jobs/${row.id}`)).body;
      expect(row.queuePosition, `${row.id} ${row.status}`).toBe(single.queuePosition);
      if (row.status === 'pending' || row.status === 'queued') expect(row.queuePosition).toBeGreaterThanOrEqual(1);
    }
    expect(rows.find((r) => r.id === cancelled)!.queuePosition).toBeNull();
    // the cpu queue: scan (priority 1) first, then the validates by priority
    const cpu = rows.filter((r) => r.queuePosition !== null && r.resourceCategory === 'cpu').sort((a, b) => a.queuePosition! - b.queuePosition!);
    expect(cpu.map((r) => [r.type, r.priority])).toEqual([['scan', 1], ['validate', 3], ['validate', 4], ['validate', 5]]);

    // a filtered page too
    const filtered = await api('GET', '/api/media/jobs?type=validate&limit=2&page=1');
    for (const row of filtered.body.data) expect(row.queuePosition).toBe((await api('GET', `/api/media/jobs/${row.id}`)).body.queuePosition);
  });
});

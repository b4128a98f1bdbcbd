/**
 * The headless server started as `npm run headless` starts it (startHeadless), on a random port,
 * driven over real HTTP: the spec's endpoints and shapes, auth, errors, events and metrics.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_TYPES } from '../../shared/domain/job-types';
import { startHeadless, type HeadlessServer } from '../headless-server';
import { createRegistry } from '../processors/processor';
import { scriptedProcessor } from '../processors/testing/test-processors';
import { scriptedCatalog, waitFor } from '../runtime/testing/test-runtime';
import { httpClient } from './testing/http-client';

const TOKEN = 'test-token-with-enough-entropy-1234567890';
let dir: string;
let server: HeadlessServer;
let api: ReturnType<typeof httpClient>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-http-'));
  server = await startHeadless(
    { MEDIA_DATA_DIR: join(dir, 'data'), MEDIA_LIBRARY_PATH: join(dir, 'library'), PORT: '0', MEDIA_API_TOKEN: TOKEN, MEDIA_TOTAL_VRAM_MB: '16000', MEDIA_NODE_ID: 'http-node' },
    { print: () => {}, processors: createRegistry(JOB_TYPES.map((t) => [t, scriptedProcessor] as const)), catalog: scriptedCatalog, rendererDir: join(dir, 'no-ui') },
  );
  api = httpClient(server.url, TOKEN);
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const until = (id: string, status: string) =>
  waitFor(async () => (await api('GET', `/api/media/jobs/${id}`)).body.status === status, 5000, `job ${id} ${status}`);

describe('headless REST API', () => {
  it('binds to loopback and serves health without auth', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await httpClient(server.url, null)('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', version: expect.any(String), database: 'sqlite', node: process.version });
    expect(health.body.tools).toHaveProperty('ffmpeg');
  });

  it('requires a SUPER_ADMIN bearer token on every /api/media path and /metrics', async () => {
    const anonymous = httpClient(server.url, null);
    const wrong = httpClient(server.url, 'not-the-token');
    for (const [method, path] of [['GET', '/api/media/jobs'], ['GET', '/api/media/jobs/stats'], ['POST', '/api/media/jobs'], ['GET', '/metrics'], ['GET', '/api/media/events'], ['POST', '/api/media/queue/pause']] as const) {
      const a = await anonymous(method, path);
      expect(a.status, `${method} ${path}`).toBe(401);
      expect(a.body.error.code).toBe('UNAUTHORIZED');
      expect((await wrong(method, path)).status).toBe(401);
    }
  });

  it('runs the spec flow: create, get with log, list with pagination, stats', async () => {
    const created = await api('POST', '/api/media/jobs', { type: 'reencode_streaming', params: { sleepMs: 30, targetBitrate: 2000 }, priority: 5, resourceCategory: 'gpu_encode', vramRequired: 4000 });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['createdAt', 'id', 'progress', 'status', 'type']);
    expect(created.body).toMatchObject({ type: 'reencode_streaming', status: 'pending', progress: 0 });
    await until(created.body.id, 'completed');
    const job = await api('GET', `/api/media/jobs/${created.body.id}`);
    expect(job.body).toMatchObject({ id: created.body.id, status: 'completed', progress: 100, resourceCategory: 'gpu_encode', vramRequired: 4000, priority: 5, retryCount: 0, maxRetries: 3 });
    expect(typeof job.body.log).toBe('string');
    expect(job.body.log).toMatch(/Completed successfully/);
    const list = await api('GET', '/api/media/jobs?page=1&limit=20&status=completed&type=reencode_streaming&resourceCategory=gpu_encode');
    expect(list.status).toBe(200);
    expect(list.body.data.map((j: { id: string }) => j.id)).toContain(created.body.id);
    expect(list.body.pagination).toMatchObject({ page: 1, limit: 20, total: expect.any(Number), totalPages: expect.any(Number) });
    const stats = await api('GET', '/api/media/jobs/stats');
    expect(stats.body).toMatchObject({ completed: expect.any(Number), totalVramAvailable: 16000, jobsByType: expect.objectContaining({ reencode_streaming: expect.any(Number) }) });
    for (const key of ['pending', 'queued', 'running', 'completed', 'failed', 'paused', 'totalVramUsed', 'totalVramAvailable', 'averageProcessingTime', 'jobsByType']) expect(stats.body).toHaveProperty(key);
  });

  it('retries, cancels, pauses and resumes with the spec responses and 409 for refused transitions', async () => {
    await api('POST', '/api/media/queue/pause', {});
    const job = (await api('POST', '/api/media/jobs', { type: 'scan', params: { sleepMs: 0 } })).body;
    expect((await api('POST', `/api/media/jobs/${job.id}/pause`)).body).toEqual({ id: job.id, status: 'paused' });
    const refused = await api('POST', `/api/media/jobs/${job.id}/pause`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'INVALID_TRANSITION', message: 'Cannot pause a job that is paused (only pending or queued jobs can be).' });
    expect((await api('POST', `/api/media/jobs/${job.id}/resume`)).body).toEqual({ id: job.id, status: 'pending' });
    expect((await api('POST', `/api/media/jobs/${job.id}/resume`)).status).toBe(409);
    expect((await api('POST', `/api/media/jobs/${job.id}/retry`)).status).toBe(409);
    const prio = await api('POST', `/api/media/jobs/${job.id}/priority`, { priority: 2 });
    expect(prio.body).toMatchObject({ id: job.id, priority: 2, queuePosition: expect.any(Number) });
    const cancelled = await api('POST', `/api/media/jobs/${job.id}/cancel`);
    expect(cancelled.body).toMatchObject({ id: job.id, status: 'cancelled', log: expect.stringMatching(/--- JOB CANCELLED BY MEDIA_API_TOKEN \(admin\) ---$/) });
    expect((await api('POST', `/api/media/jobs/${job.id}/cancel`)).status).toBe(409);
    const retried = await api('POST', `/api/media/jobs/${job.id}/retry`);
    expect(retried.body).toMatchObject({ id: job.id, status: 'pending', retryCount: 1, retryAfter: null, log: expect.stringMatching(/--- RETRY ATTEMPT 1 --- asked by MEDIA_API_TOKEN \(admin\)$/) });
    await api('POST', '/api/media/queue/resume', {});
    await until(job.id, 'completed');
    expect((await api('POST', `/api/media/jobs/${job.id}/cancel`)).status).toBe(409);
  });

  it('lists the library (empty at first) with the spec pagination shape, and created its folders', async () => {
    const r = await api('GET', '/api/media/videos?search=beach&valid=true&page=1&limit=10');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: [], pagination: { page: 1, limit: 10, total: 0, totalPages: 0 } });
    for (const folder of ['inbox', 'videos', 'public', 'playback', 'compilations', 'thumbnails', 'gifs']) expect(statSync(join(dir, 'library', folder)).isDirectory()).toBe(true);
  });

  it('reads a log incrementally', async () => {
    const job = (await api('POST', '/api/media/jobs', { type: 'scan', params: { fail: 'fatal' } })).body;
    await until(job.id, 'failed');
    const first = await api('GET', `/api/media/jobs/${job.id}/log?after=0&limit=1`);
    expect(first.body.lines).toHaveLength(1);
    const rest = await api('GET', `/api/media/jobs/${job.id}/log?after=${first.body.nextAfter}`);
    expect(rest.body.lines.length).toBeGreaterThan(0);
    expect(rest.body.lines[0].line).toBe(first.body.nextAfter + 1);
  });

  it.each([
    ['malformed JSON', 'POST', '/api/media/jobs', '{"type": ', 400, 'VALIDATION_FAILED'],
    ['a body that is not an object', 'POST', '/api/media/jobs', '[1,2]', 400, 'VALIDATION_FAILED'],
    ['an unknown type', 'POST', '/api/media/jobs', { type: 'nope' }, 400, 'UNKNOWN_JOB_TYPE'],
    ['priority above 10', 'POST', '/api/media/jobs', { type: 'scan', priority: 11 }, 400, 'VALIDATION_FAILED'],
    ['priority below 1', 'POST', '/api/media/jobs', { type: 'scan', priority: 0 }, 400, 'VALIDATION_FAILED'],
    ['a category contradicting the type', 'POST', '/api/media/jobs', { type: 'scan', resourceCategory: 'gpu_ai' }, 400, 'CATEGORY_MISMATCH'],
    ['VRAM below the type default', 'POST', '/api/media/jobs', { type: 'scene_extract', vramRequired: 10 }, 400, 'VRAM_OUT_OF_RANGE'],
    ['VRAM above the budget', 'POST', '/api/media/jobs', { type: 'scene_extract', vramRequired: 99999 }, 400, 'VRAM_OUT_OF_RANGE'],
    ['an unknown field', 'POST', '/api/media/jobs', { type: 'scan', colour: 'red' }, 400, 'VALIDATION_FAILED'],
    ['an unknown status filter', 'GET', '/api/media/jobs?status=exploded', undefined, 400, 'VALIDATION_FAILED'],
    ['an unknown query parameter', 'GET', '/api/media/jobs?sort=desc', undefined, 400, 'VALIDATION_FAILED'],
    ['a page of 0', 'GET', '/api/media/jobs?page=0', undefined, 400, 'VALIDATION_FAILED'],
    ['a malformed id', 'GET', '/api/media/jobs/123', undefined, 400, 'INVALID_ID'],
    ['a malformed id on an action', 'POST', '/api/media/jobs/../../etc/cancel', undefined, 404, 'NOT_FOUND'],
    ['an unknown id', 'GET', '/api/media/jobs/00000000-0000-4000-8000-000000000000', undefined, 404, 'NOT_FOUND'],
    ['an unknown id on an action', 'POST', '/api/media/jobs/00000000-0000-4000-8000-000000000000/retry', undefined, 404, 'NOT_FOUND'],
    ['an unknown route', 'GET', '/api/media/nothing', undefined, 404, 'NOT_FOUND'],
    ['an unknown video id', 'GET', '/api/media/videos/00000000-0000-4000-8000-000000000000', undefined, 404, 'NOT_FOUND'],
    ['a malformed video id', 'GET', '/api/media/videos/nope', undefined, 400, 'INVALID_ID'],
    ['an unknown video folder filter', 'GET', '/api/media/videos?directoryType=etc', undefined, 400, 'VALIDATION_FAILED'],
    ['a job naming a video that does not exist', 'POST', '/api/media/jobs', { type: 'validate', params: { videoId: '00000000-0000-4000-8000-000000000000' } }, 400, 'UNKNOWN_VIDEO'],
    ['an oversized body', 'POST', '/api/media/jobs', JSON.stringify({ type: 'scan', params: { blob: 'x'.repeat(2 * 1024 * 1024) } }), 413, 'PAYLOAD_TOO_LARGE'],
  ])('answers %s with %s %s → %i %s', async (_what, method, path, body, status, code) => {
    const r = await api(method, path, body);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(typeof r.body.error.message).toBe('string');
  });

  it('refuses a non-JSON content type with 415', async () => {
    const r = await api('POST', '/api/media/jobs', 'type=scan', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('says which params field fails the type schema and why (real catalog)', async () => {
    const real = await startHeadless(
      { MEDIA_DATA_DIR: join(dir, 'data-real'), MEDIA_LIBRARY_PATH: join(dir, 'library'), PORT: '0', MEDIA_API_TOKEN: TOKEN },
      { print: () => {}, rendererDir: join(dir, 'no-ui') },
    );
    try {
      const r = await httpClient(real.url, TOKEN)('POST', '/api/media/jobs', { type: 'reencode_streaming', params: { videoId: 'abc', crf: 99 } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['params.crf', 'params.videoId']);
      for (const outputPath of ['../../etc/passwd.mp4', '/etc/passwd.mp4', 'playback/../../../x.mp4', 'C:\\Windows\\x.mp4']) {
        const traversal = await httpClient(real.url, TOKEN)('POST', '/api/media/jobs', { type: 'reencode_streaming', params: { videoId: '660e8400-e29b-41d4-a716-446655440001', outputPath } });
        expect(traversal.status, outputPath).toBe(400);
        expect(traversal.body.error.code).toBe('VALIDATION_FAILED');
        expect(traversal.body.error.details.issues[0].path).toBe('params.outputPath');
      }
      const unknownVideo = await httpClient(real.url, TOKEN)('POST', '/api/media/jobs', { type: 'reencode_streaming', params: { videoId: '660e8400-e29b-41d4-a716-446655440001' } });
      expect(unknownVideo.status).toBe(400);
      expect(unknownVideo.body.error).toMatchObject({ code: 'UNKNOWN_VIDEO', message: 'No video with id 660e8400-e29b-41d4-a716-446655440001 in the library.' });
      const ok = await httpClient(real.url, TOKEN)('POST', '/api/media/jobs', { type: 'scan', params: {} });
      expect(ok.status).toBe(201);
      const job = await httpClient(real.url, TOKEN)('GET', `/api/media/jobs/${ok.body.id}`);
      expect(job.body.params).toEqual({ directoryType: 'videos', skipExisting: true, thumbnails: true });
    } finally {
      await real.close();
    }
  });

  it('survives a burst of garbage requests without a 5xx', async () => {
    const bodies = ['', 'null', '{}', '{"type":null}', '{"type":"scan","params":[]}', '{"type":"scan","params":{"__proto__":{"x":1}}}', '{"type":"scan","priority":"5"}', '{"type":"scan","maxRetries":-1}', '\u0000', '{"type":"scan","vramRequired":1e309}'];
    const paths = ['/api/media/jobs', '/api/media/jobs/%00', '/api/media/jobs/stats?limit=-1', '/api/media/jobs?limit=100000', '/api/media/jobs?page=abc', '/api/media/jobs/00000000-0000-4000-8000-000000000000/priority'];
    for (const path of paths) {
      for (const body of bodies) {
        const r = await api('POST', path, body);
        expect(r.status, `${path} ${body}`).toBeLessThan(500);
        const g = await api('GET', path);
        expect(g.status, `GET ${path}`).toBeLessThan(500);
      }
    }
    expect((await api('GET', '/api/health')).status).toBe(200);
  });

  it('exposes Prometheus metrics with the spec names and the histograms', async () => {
    const job = (await api('POST', '/api/media/jobs', { type: 'thumbnail_generate', params: { sleepMs: 0 } })).body;
    await until(job.id, 'completed');
    const m = await api('GET', '/metrics');
    expect(m.status).toBe(200);
    const text = m.body as string;
    expect(text).toMatch(/^media_jobs_total\{type="thumbnail_generate",status="completed"\} 1$/m);
    expect(text).toMatch(/^media_jobs_pending \d+$/m);
    expect(text).toMatch(/^media_jobs_running\{resourceCategory="gpu_encode"\} 0$/m);
    expect(text).toMatch(/^media_vram_used_mb 0$/m);
    expect(text).toMatch(/^media_job_wait_seconds_bucket\{le="0.05",type="thumbnail_generate",resourceCategory="cpu"\} \d+$/m);
    expect(text).toMatch(/^media_job_run_seconds_count\{type="thumbnail_generate",status="completed"\} 1$/m);
    // the embedded default is a fleet of one node
    const node = (await api('GET', '/api/fleet/nodes')).body.nodes[0].id as string;
    expect(text).toContain(`media_node_up{node="${node}",state="online"} 1`);
    expect(text).toMatch(new RegExp(`^media_node_completed_jobs\\{node="${node}"\\} [1-9]\\d*$`, 'm')); // this server ran other jobs before
    expect(text).toMatch(new RegExp(`^media_node_slot_limit\\{node="${node}",resourceCategory="cpu"\\} \\d+$`, 'm'));
  });
});

describe('first start without MEDIA_API_TOKEN', () => {
  it('creates a token readable only by the user, stores only its hash, and accepts it', async () => {
    const data = join(dir, 'fresh');
    const lines: string[] = [];
    const fresh = await startHeadless({ MEDIA_DATA_DIR: data, MEDIA_LIBRARY_PATH: join(dir, 'library'), PORT: '0' }, { print: (l) => lines.push(l), rendererDir: join(dir, 'no-ui') });
    try {
      const tokenFile = join(data, 'api-token');
      expect(lines.join('\n')).toContain(tokenFile);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      const token = readFileSync(tokenFile, 'utf8').trim();
      expect(token.length).toBeGreaterThanOrEqual(40);
      expect(readFileSync(join(data, 'api-tokens.json'), 'utf8')).not.toContain(token);
      expect((await httpClient(fresh.url, token)('GET', '/api/media/jobs/stats')).status).toBe(200);
      expect((await httpClient(fresh.url, `${token}x`)('GET', '/api/media/jobs/stats')).status).toBe(401);
    } finally {
      await fresh.close();
    }
  });
});

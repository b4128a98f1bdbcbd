/**
 * Library transcoding over real HTTP with the real processors: a replace's result
 * (GET /jobs/:id/result), 409 ALREADY_PROCESSED for the same settings on the same content, the
 * savings computed from the ledger (GET /savings), the Prometheus counters read from it, the
 * restore route (operate; a read token gets 403), and the routes in the OpenAPI document.
 */
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceableClip } from '../processors/transcode/testing/fault-clips';
import { openTranscodeRuntime, type TranscodeRuntime } from '../processors/transcode/testing/transcode-runtime';
import { createServer } from './create-server';
import { httpClient } from './testing/http-client';
import { testTokenRegistry } from './testing/test-tokens';

const ADMIN = 'transcode-api-admin-token-0123456789';
let dir: string;
let t: TranscodeRuntime;
let app: FastifyInstance;
let url: string;
let readToken: string;
let ids: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-transcode-api-'));
  t = await openTranscodeRuntime(dir);
  await replaceableClip(join(t.root, 'videos'), 'a.mp4');
  ids = await t.scan();
  const tokens = testTokenRegistry(ADMIN);
  readToken = tokens.create('viewer', 'read').token;
  app = await createServer({ runtime: t.embedded.runtime, tokens, version: 'test', health: () => ({}), rendererDir: null });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('transcode over HTTP', () => {
  it('replaces, answers the result, refuses the same work again with 409, counts the saving, and restores', async () => {
    const api = httpClient(url, ADMIN);
    const params = { videoId: ids['a.mp4'], codec: 'hevc', mode: 'replace', crf: 28, preset: 'veryfast' };
    const created = await api('POST', '/api/media/jobs', { type: 'transcode', params });
    expect(created.status).toBe(201);
    const job = await t.waitForEnd(created.body.id);
    expect(job.status, job.log).toBe('completed');

    const result = await api('GET', `/api/media/jobs/${job.id}/result`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ jobId: job.id, outcome: 'replaced', codecIn: 'h264', codecOut: 'hevc', reason: null });
    expect((await api('GET', `/api/media/jobs/${ids['a.mp4']}/result`)).status).toBe(404);

    const again = await api('POST', '/api/media/jobs', { type: 'transcode', params });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ALREADY_PROCESSED', details: { jobId: job.id, outcome: 'replaced' } });
    const forced = await api('POST', '/api/media/jobs', { type: 'transcode', params: { ...params, force: true } });
    expect(forced.status).toBe(201);
    expect((await t.waitForEnd(forced.body.id)).log).toMatch(/Outcome: skipped — already hevc/);

    const saved = result.body.bytesIn - result.body.bytesOut;
    const savings = await api('GET', '/api/media/savings?groupBy=codec');
    expect(savings.status).toBe(200);
    expect(savings.body).toMatchObject({ groupBy: 'codec', total: { bytesSaved: saved, grossBytesSaved: saved, filesReplaced: 1 }, groups: [{ key: 'hevc', bytesSaved: saved, outcomes: { replaced: 1, skipped: 1 } }] });
    expect((await api('GET', '/api/media/savings?groupBy=month')).status).toBe(400);
    const metrics = await api('GET', '/metrics');
    expect(metrics.body).toContain(`media_bytes_saved_total ${saved}`);
    expect(metrics.body).toMatch(/media_transcode_outcomes_total\{outcome="replaced"\} 1/);
    expect(metrics.body).toMatch(/media_transcode_outcomes_total\{outcome="skipped"\} 1/);

    const viewer = httpClient(url, readToken);
    expect((await viewer('GET', `/api/media/videos/${ids['a.mp4']}/transcodes`)).body.quarantined).toMatchObject({ originalPath: 'videos/a.mp4' });
    expect((await viewer('POST', `/api/media/videos/${ids['a.mp4']}/restore`)).status).toBe(403);
    const restored = await api('POST', `/api/media/videos/${ids['a.mp4']}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ videoId: ids['a.mp4'], path: 'videos/a.mp4', videoCodec: 'h264' });
    expect((await api('POST', `/api/media/videos/${ids['a.mp4']}/restore`)).status).toBe(404);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await httpClient(url, null)('GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/media/jobs/{id}/result', '/api/media/savings', '/api/media/videos/{id}/transcodes', '/api/media/videos/{id}/restore']));
    expect(doc.paths['/api/media/videos/{id}/restore'].post).toBeDefined();
  });
});

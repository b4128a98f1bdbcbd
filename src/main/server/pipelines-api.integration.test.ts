/**
 * The pipeline routes on the real headless server: roles (read looks, operate runs and dry-runs,
 * admin creates, edits and deletes), status codes (201, 400 naming the step and field, 404, 409 on
 * a stale version), PUT and DELETE through the operations table. (Runs with real jobs: runtime/pipelines/*.integration.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_TYPES } from '../../shared/domain/job-types';
import { startHeadless, type HeadlessServer } from '../headless-server';
import { createRegistry } from '../processors/processor';
import { scriptedProcessor } from '../processors/testing/test-processors';
import { scriptedCatalog } from '../runtime/testing/test-runtime';
import { httpClient } from './testing/http-client';

const ADMIN = 'pipelines-admin-token-0123456789abcdef';
let dir: string;
let server: HeadlessServer;
let admin: ReturnType<typeof httpClient>;
const as: Record<'read' | 'operate', ReturnType<typeof httpClient>> = {} as never;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-pipelines-api-'));
  server = await startHeadless(
    { MEDIA_DATA_DIR: join(dir, 'data'), MEDIA_LIBRARY_PATH: join(dir, 'library'), PORT: '0', MEDIA_API_TOKEN: ADMIN, MEDIA_NODE_ID: 'api-node', MEDIA_WATCH: '0' },
    { print: () => {}, processors: createRegistry(JOB_TYPES.map((t) => [t, scriptedProcessor] as const)), catalog: scriptedCatalog, rendererDir: join(dir, 'no-ui') },
  );
  admin = httpClient(server.url, ADMIN);
  for (const role of ['read', 'operate'] as const) {
    const created = await admin('POST', '/api/auth/tokens', { name: `p-${role}`, role });
    expect(created.status).toBe(201);
    as[role] = httpClient(server.url, created.body.token);
  }
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('pipelines over REST', () => {
  it('creates from a template (admin only), lists, edits with the version it read, and deletes', async () => {
    expect((await as.operate('POST', '/api/media/pipelines', { template: 'highlights-for-long-videos' })).status).toBe(403);
    const created = await admin('POST', '/api/media/pipelines', { template: 'highlights-for-long-videos', enabled: true });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Highlights for long videos', version: 1, enabled: true, createdBy: expect.any(String) });
    const id = created.body.id as string;
    expect((await as.read('GET', '/api/media/pipelines')).body.data.map((p: { id: string }) => p.id)).toEqual([id]);
    expect((await as.read('GET', `/api/media/pipeline-templates`)).body.data).toHaveLength(3);

    const { name, description, trigger, conditions, steps, repeatAfterDays } = created.body;
    const edit = { version: 1, enabled: false, name, description, trigger, conditions, steps, repeatAfterDays };
    const bad = await admin('PUT', `/api/media/pipelines/${id}`, { ...edit, steps: [{ ...steps[0], params: { videoId: '{{video.id}}', targetLength: -5 } }, steps[1]] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.message).toContain('step "digest" (digest_generate): params.targetLength');
    const ok = await admin('PUT', `/api/media/pipelines/${id}`, edit);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: 2, enabled: false });
    const stale = await admin('PUT', `/api/media/pipelines/${id}`, edit);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2, yourVersion: 1 } });
    expect((await as.operate('DELETE', `/api/media/pipelines/${id}`)).status).toBe(403);
    expect((await admin('DELETE', `/api/media/pipelines/${id}`)).body).toEqual({ id, deleted: true });
    expect((await admin('DELETE', `/api/media/pipelines/${id}`)).status).toBe(404);
    expect((await as.read('GET', `/api/media/pipelines/${id}`)).status).toBe(404);
  });

  it('lets operate run and dry-run and read see the runs; jobs carry pipelineRunId and parentJobId (null here)', async () => {
    const created = await admin('POST', '/api/media/pipelines', {
      name: 'Scan twice',
      trigger: { type: 'manual' },
      steps: [
        { id: 'first', type: 'scan', params: { directoryType: 'inbox' } },
        { id: 'second', type: 'scan', params: { directoryType: 'videos' }, after: { step: 'first' } },
      ],
    });
    const id = created.body.id as string;
    // an empty library: nothing to run on
    expect((await as.read('POST', `/api/media/pipelines/${id}/dry-run`, {})).status).toBe(403);
    expect((await as.operate('POST', `/api/media/pipelines/${id}/dry-run`, {})).body).toMatchObject({ evaluated: 0, wouldRun: [], skipped: [] });
    expect((await as.operate('POST', `/api/media/pipelines/${id}/run`, { force: true })).body).toMatchObject({ started: [], skipped: [] });
    expect((await as.read('GET', `/api/media/pipelines/${id}/runs?limit=5`)).body).toMatchObject({ data: [], pagination: { total: 0, limit: 5 } });
    expect((await as.read('GET', `/api/media/pipeline-runs/${id}`)).status).toBe(404);
    expect((await as.read('GET', '/api/media/jobs')).body.data.every((j: { pipelineRunId: unknown; parentJobId: unknown }) => j.pipelineRunId === null && j.parentJobId === null)).toBe(true);
  });
});

/**
 * A suspended job (a running job whose process a pause stopped) reads `suspended` everywhere the
 * headless server shows a status: the pause's answer, the job and the job list (and its filter),
 * the stats, and /metrics (its gauge and the transition counter). Over real HTTP, with a real
 * child process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_TYPES } from '../../shared/domain/job-types';
import { startHeadless, type HeadlessServer } from '../headless-server';
import { createRegistry } from '../processors/processor';
import { childProcessProcessor } from '../processors/testing/test-processors';
import { scriptedCatalog, waitFor } from '../runtime/testing/test-runtime';
import { httpClient } from './testing/http-client';

const TOKEN = 'test-token-with-enough-entropy-1234567890';
let dir: string;
let server: HeadlessServer;
let api: ReturnType<typeof httpClient>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-suspended-'));
  server = await startHeadless(
    { MEDIA_DATA_DIR: join(dir, 'data'), MEDIA_LIBRARY_PATH: join(dir, 'library'), PORT: '0', MEDIA_API_TOKEN: TOKEN, MEDIA_NODE_ID: 'suspend-node' },
    { print: () => {}, processors: createRegistry(JOB_TYPES.map((t) => [t, childProcessProcessor] as const)), catalog: scriptedCatalog, rendererDir: join(dir, 'no-ui') },
  );
  api = httpClient(server.url, TOKEN);
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The value of one sample line of /metrics (`name{labels} value`), 0 when absent. */
function sample(metrics: string, name: string, labels = ''): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('a suspended job over HTTP', () => {
  it('reads suspended in the pause answer, the job, the list, the stats and /metrics', async () => {
    const created = await api('POST', '/api/media/jobs', { type: 'scan', params: { sleepSeconds: 30 } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await waitFor(async () => /as PID \d+/.test((await api('GET', `/api/media/jobs/${id}`)).body.log), 5000, 'the tool to start');

    expect((await api('POST', `/api/media/jobs/${id}/pause`)).body).toEqual({ id, status: 'suspended' });
    expect((await api('GET', `/api/media/jobs/${id}`)).body).toMatchObject({ id, status: 'suspended', cancelling: false });
    const all = await api('GET', '/api/media/jobs');
    expect(all.body.data.find((j: { id: string }) => j.id === id)).toMatchObject({ status: 'suspended' });
    const filtered = await api('GET', '/api/media/jobs?status=suspended');
    expect(filtered.status).toBe(200);
    expect(filtered.body.data.map((j: { id: string }) => j.id)).toEqual([id]);
    expect(filtered.body.pagination.total).toBe(1);
    expect((await api('GET', '/api/media/jobs/stats')).body).toMatchObject({ suspended: 1, running: 0, paused: 0 });

    // the OpenAPI document knows the status (the list's filter and the job's status are one enum)
    const doc = (await httpClient(server.url, null)('GET', '/api/openapi.json')).body;
    const filter = doc.paths['/api/media/jobs'].get.parameters.find((p: { name: string }) => p.name === 'status');
    expect(JSON.stringify(filter.schema)).toContain('"suspended"');

    const metrics = (await api('GET', '/metrics')).body as string;
    expect(sample(metrics, 'media_jobs_suspended')).toBe(1);
    expect(sample(metrics, 'media_jobs_total', '{type="scan",status="suspended"}')).toBe(1);

    // pausing it again is refused; resume continues it; then a cancel stops it for good
    const again = await api('POST', `/api/media/jobs/${id}/pause`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('Cannot pause a job that is suspended (only pending or queued jobs can be).');
    expect((await api('POST', `/api/media/jobs/${id}/resume`)).body).toEqual({ id, status: 'running' });
    expect((await api('POST', `/api/media/jobs/${id}/pause`)).body).toEqual({ id, status: 'suspended' });
    expect((await api('POST', `/api/media/jobs/${id}/cancel`)).body).toMatchObject({ id, status: 'suspended', cancelling: true });
    await waitFor(async () => (await api('GET', `/api/media/jobs/${id}`)).body.status === 'cancelled', 5000, 'the cancel to finish');
    expect((await api('GET', '/api/media/jobs/stats')).body).toMatchObject({ suspended: 0, cancelled: 1 });
  });
});

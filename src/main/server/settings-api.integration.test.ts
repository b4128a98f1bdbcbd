/**
 * GET/PUT /api/media/settings and the export/import over HTTP on the real headless server (SQLite):
 * validation answers 400 naming the field, a field an environment variable sets is refused with 409
 * SETTING_LOCKED naming the variable, a limit raised through the API starts a job that waited for a
 * slot (no restart), and export → a fresh data folder → import reproduces the settings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { JOB_TYPES } from '../../shared/domain/job-types';
import { findPipelineTemplate } from '../../shared/domain/pipeline-templates';
import { startHeadless, type HeadlessServer } from '../headless-server';
import { createRegistry } from '../processors/processor';
import { scriptedProcessor } from '../processors/testing/test-processors';
import { scriptedCatalog, waitFor } from '../runtime/testing/test-runtime';
import { httpClient } from './testing/http-client';

const ADMIN = 'settings-admin-token-0123456789abcdef';
const root = mkdtempSync(join(tmpdir(), 'mjc-settings-api-'));
const servers: HeadlessServer[] = [];
let n = 0;

async function start(env: Record<string, string> = {}, dataDir?: string): Promise<{ server: HeadlessServer; admin: ReturnType<typeof httpClient>; dataDir: string }> {
  const dir = dataDir ?? join(root, `data-${++n}`);
  const server = await startHeadless(
    { MEDIA_DATA_DIR: dir, MEDIA_LIBRARY_PATH: join(root, `library-${n}`), PORT: '0', MEDIA_API_TOKEN: ADMIN, MEDIA_NODE_ID: `settings-${n}`, MEDIA_WATCH: '0', ...env },
    { print: () => {}, processors: createRegistry(JOB_TYPES.map((t) => [t, scriptedProcessor] as const)), catalog: scriptedCatalog, rendererDir: join(root, 'no-ui') },
  );
  servers.push(server);
  return { server, admin: httpClient(server.url, ADMIN), dataDir: dir };
}

afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('GET/PUT /api/media/settings', () => {
  it('answers the configuration, refuses invalid values with 400 naming the field, and needs admin to change', async () => {
    const { server, admin } = await start();
    const res = await admin('GET', '/api/media/settings');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'defaults', locked: {}, settings: { limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramHeadroomMb: 512, retainCompletedDays: 30, retainFailedDays: 90, hangTimeoutMs: 300_000 } });

    for (const [body, field] of [
      [{ limits: { cpu: -1 } }, 'limits.cpu'],
      [{ hangTimeoutMs: 10 }, 'hangTimeoutMs'],
      [{ retainFailedDays: 1.5 }, 'retainFailedDays'],
      [{ vramHeadroom: 100 }, 'vramHeadroom'],
    ] as const) {
      const bad = await admin('PUT', '/api/media/settings', body);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
      expect(bad.body.error.message).toContain(field);
    }
    const reader = await admin('POST', '/api/auth/tokens', { name: 'settings-read', role: 'read' });
    const read = httpClient(server.url, reader.body.token);
    expect((await read('GET', '/api/media/settings')).status).toBe(200);
    expect((await read('PUT', '/api/media/settings', { retainFailedDays: 7 })).status).toBe(403);
    expect((await read('POST', '/api/media/settings/import', { format: 'media-job-control/settings', version: 1 })).status).toBe(403);

    const ok = await admin('PUT', '/api/media/settings', { retainFailedDays: 7, limits: { gpu_ai: 2 } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ source: 'stored', settings: { limits: { cpu: 5, gpu_encode: 2, gpu_ai: 2 }, retainFailedDays: 7 } });
    expect((await admin('GET', '/api/media/queue')).body.limits).toMatchObject({ gpu_ai: 2 });
  }, 60_000);

  it('a limit raised through the API starts a job that waited for a slot, and survives a restart', async () => {
    const first = await start();
    expect((await first.admin('PUT', '/api/media/settings', { limits: { cpu: 1 } })).status).toBe(200);
    const a = await first.admin('POST', '/api/media/jobs', { type: 'scan', params: { sleepMs: 4000 } });
    const b = await first.admin('POST', '/api/media/jobs', { type: 'scan', params: { sleepMs: 4000 } });
    await waitFor(async () => (await first.admin('GET', `/api/media/jobs/${a.body.id}`)).body.status === 'running', 5000, 'first running');
    const waiting = await waitFor(async () => {
      const job = (await first.admin('GET', `/api/media/jobs/${b.body.id}`)).body;
      return job.status === 'queued' && job.waitingReason ? job : undefined;
    }, 5000, 'second waiting for a slot');
    expect(waiting.waitingReason).toMatch(/cpu/);

    expect((await first.admin('PUT', '/api/media/settings', { limits: { cpu: 2 } })).status).toBe(200);
    await waitFor(async () => (await first.admin('GET', `/api/media/jobs/${b.body.id}`)).body.status === 'running', 3000, 'second started without a restart');
    await first.admin('POST', `/api/media/jobs/${a.body.id}/cancel`);
    await first.admin('POST', `/api/media/jobs/${b.body.id}/cancel`);
    await servers.pop()!.close();

    const again = await start({}, first.dataDir);
    expect((await again.admin('GET', '/api/media/settings')).body).toMatchObject({ source: 'stored', settings: { limits: { cpu: 2 } } });
    expect((await again.admin('GET', '/api/media/queue')).body.limits).toMatchObject({ cpu: 2 });
  }, 60_000);

  it('a field an environment variable sets is locked: shown with the variable, a change refused with 409', async () => {
    const { admin } = await start({ MEDIA_LIMIT_CPU: '3', MEDIA_HANG_TIMEOUT_MS: '60000' });
    const res = await admin('GET', '/api/media/settings');
    expect(res.body).toMatchObject({ locked: { 'limits.cpu': 'MEDIA_LIMIT_CPU', hangTimeoutMs: 'MEDIA_HANG_TIMEOUT_MS' }, settings: { limits: { cpu: 3 }, hangTimeoutMs: 60_000 } });
    const refused = await admin('PUT', '/api/media/settings', { limits: { cpu: 4 }, retainCompletedDays: 3 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('SETTING_LOCKED');
    expect(refused.body.error.message).toContain('MEDIA_LIMIT_CPU');
    // nothing of a refused PUT is applied; the same value, or other fields, are fine
    expect((await admin('GET', '/api/media/settings')).body.settings.retainCompletedDays).toBe(30);
    const ok = await admin('PUT', '/api/media/settings', { limits: { cpu: 3, gpu_encode: 1 } });
    expect(ok.status).toBe(200);
    expect(ok.body.settings.limits).toEqual({ cpu: 3, gpu_encode: 1, gpu_ai: 1 });
  }, 60_000);
});

describe('export → fresh data folder → import', () => {
  it('reproduces the settings, time windows, notification rules (no secrets) and pipelines', async () => {
    const source = await start();
    const { admin } = source;
    expect((await admin('PUT', '/api/media/settings', { limits: { cpu: 3, gpu_encode: 1 }, vramHeadroomMb: 1024, retainCompletedDays: 10, retainFailedDays: 20, hangTimeoutMs: 120_000 })).status).toBe(200);
    expect((await admin('PUT', '/api/media/schedules', { windows: [{ category: 'gpu_encode', start: '22:00', end: '07:00', atClose: 'suspend' }] })).status).toBe(200);
    const hook = { id: 'ops', name: 'Ops', url: 'http://127.0.0.1:9/hook', secret: 'super-secret-value' };
    const rule = { id: 'failed', event: 'job.failed', enabled: true, channels: { desktop: true, browser: false, webhooks: ['ops'] } };
    expect((await admin('PUT', '/api/media/notifications', { rules: [rule], webhooks: [hook] })).status).toBe(200);
    expect((await admin('POST', '/api/media/pipelines', { template: 'highlights-for-long-videos', enabled: true })).status).toBe(201);

    const exported = await admin('GET', '/api/media/settings/export');
    expect(exported.status).toBe(200);
    expect(JSON.stringify(exported.body)).not.toContain('super-secret-value');
    expect(exported.body).toMatchObject({ format: 'media-job-control/settings', version: 1, pipelines: [{ name: 'Highlights for long videos', enabled: true }] });
    const before = { settings: (await admin('GET', '/api/media/settings')).body.settings, schedules: (await admin('GET', '/api/media/schedules')).body.settings };
    await servers.pop()!.close();

    const fresh = await start();
    // invalid documents are refused whole, with the field named, and change nothing
    const broken = { ...exported.body, pipelines: [{ ...exported.body.pipelines[0], steps: [] }] };
    const refused = await fresh.admin('POST', '/api/media/settings/import', broken);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('pipelines.0.steps');
    expect((await fresh.admin('POST', '/api/media/settings/import', { ...exported.body, format: 'other' })).status).toBe(400);
    expect((await fresh.admin('GET', '/api/media/settings')).body.source).toBe('defaults');

    const imported = await fresh.admin('POST', '/api/media/settings/import', exported.body);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ skippedLocked: [], schedules: true, notifications: true, pipelines: { created: ['Highlights for long videos'], updated: [] } });
    expect((await fresh.admin('GET', '/api/media/settings')).body.settings).toEqual(before.settings);
    expect((await fresh.admin('GET', '/api/media/queue')).body.limits).toMatchObject({ cpu: 3, gpu_encode: 1 });
    expect((await fresh.admin('GET', '/api/media/schedules')).body.settings).toEqual(before.schedules);
    const notifications = (await fresh.admin('GET', '/api/media/notifications')).body;
    expect(notifications.rules).toEqual([expect.objectContaining(rule)]);
    expect(notifications.webhooks).toEqual([expect.objectContaining({ id: 'ops', url: hook.url, secretSet: false })]);

    // importing again updates the pipeline by name rather than adding a second one
    const again = await fresh.admin('POST', '/api/media/settings/import', exported.body);
    expect(again.body.pipelines).toEqual({ created: [], updated: ['Highlights for long videos'] });
    const pipelines = (await fresh.admin('GET', '/api/media/pipelines')).body.data;
    expect(pipelines).toHaveLength(1);
    expect(pipelines[0]).toMatchObject({ enabled: true, version: 2 });
  }, 90_000);
});

describe('an import broken in one part changes nothing', () => {
  // one row per part: a document valid everywhere else, broken only there. Each must be refused
  // whole (400 naming the field) with every part as it was: a check that only the part's own PUT
  // makes would apply the parts before it first (the notifications' webhook references did)
  const valid = {
    format: 'media-job-control/settings',
    version: 1,
    settings: { limits: { cpu: 3 }, retainCompletedDays: 12 },
    watch: { enabled: true, folders: ['inbox'], mode: 'polling', pollIntervalSeconds: 5, stableSeconds: 2 },
    schedules: { windows: [{ category: 'gpu_encode', start: '22:00', end: '07:00', atClose: 'suspend' }] },
    notifications: { rules: [{ id: 'r1', event: 'job.failed', enabled: true, channels: { desktop: true, browser: false, webhooks: ['ops'] } }], webhooks: [{ id: 'ops', name: 'Ops', url: 'http://127.0.0.1:9/hook' }] },
    pipelines: [{ enabled: false, ...findPipelineTemplate('highlights-for-long-videos')!.document }],
  };
  const broken: { part: string; field: RegExp; document: Record<string, unknown> }[] = [
    { part: 'settings', field: /settings\.limits\.cpu/, document: { ...valid, settings: { limits: { cpu: -1 } } } },
    // watch goes first when applied (settings-operations.ts), so this row checks its refusal is whole, not the order
    { part: 'watch', field: /watch\.folders\.0: must not contain "\.\."/, document: { ...valid, watch: { ...valid.watch, folders: ['../outside'] } } },
    { part: 'schedules', field: /schedules\.timeZone: must be an IANA time zone/, document: { ...valid, schedules: { timeZone: 'Mars/Olympus_Mons', windows: [] } } },
    { part: 'notifications: a rule posting to a webhook the file lacks', field: /notifications\.rules\.0\.channels\.webhooks\.0/, document: { ...valid, notifications: { ...valid.notifications, webhooks: [] } } },
    { part: 'notifications: a webhook id twice', field: /notifications\.webhooks\.1\.id/, document: { ...valid, notifications: { ...valid.notifications, webhooks: [...valid.notifications.webhooks, ...valid.notifications.webhooks] } } },
    { part: 'pipelines: no steps', field: /pipelines\.0\.steps/, document: { ...valid, pipelines: [{ ...valid.pipelines[0], steps: [] }] } },
    { part: 'pipelines: a name twice', field: /pipelines\.1\.name/, document: { ...valid, pipelines: [valid.pipelines[0], valid.pipelines[0]] } },
  ];

  it.each(broken)('$part', async ({ field, document }) => {
    const { admin } = await start();
    const state = async () => ({
      settings: (await admin('GET', '/api/media/settings')).body.source,
      watch: (await admin('GET', '/api/media/watch')).body,
      schedules: (await admin('GET', '/api/media/schedules')).body.settings,
      notifications: (await admin('GET', '/api/media/notifications')).body,
      pipelines: (await admin('GET', '/api/media/pipelines')).body.data,
    });
    const before = await state();
    const refused = await admin('POST', '/api/media/settings/import', document);
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.body.error.message).toMatch(field);
    expect(await state()).toEqual(before);
    // and the valid document is applied whole (the row's breakage is all that was wrong)
    const applied = await admin('POST', '/api/media/settings/import', valid);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body).toMatchObject({ watch: true, schedules: true, notifications: true, pipelines: { created: ['Highlights for long videos'] } });
  }, 60_000);
});


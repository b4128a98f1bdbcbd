/**
 * GET/PUT /api/media/schedules and POST /api/media/queue/drain over HTTP: validation answers 400
 * with a stable code and a message that names the field, access follows the table (read looks,
 * admin changes the schedules, operate drains), and saved windows are applied and kept.
 */
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../runtime/testing/test-runtime';
import { createServer } from './create-server';
import { httpClient } from './testing/http-client';
import { TokenRegistry } from './tokens/token-registry';

let dir: string;
let t: TestRuntime;
let app: FastifyInstance;
const token = {} as Record<'read' | 'operate' | 'admin', string>;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-schedules-api-'));
  const tokens = new TokenRegistry(join(dir, 'api-tokens.json'), undefined);
  for (const role of ['read', 'operate', 'admin'] as const) token[role] = tokens.create(`schedules-${role}`, role).token;
  t = await startTestRuntime();
  app = await createServer({ runtime: t.runtime, tokens, version: 'test', health: () => ({}) });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await t?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const as = (role: 'read' | 'operate' | 'admin') => httpClient(url, token[role]);

describe('GET/PUT /api/media/schedules', () => {
  it('answers the defaults: no windows, every category open, no GPU yield', async () => {
    const res = await as('read')('GET', '/api/media/schedules');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'defaults', settings: { windows: [], gpuYield: { enabled: false } }, categories: { gpu_encode: { open: true, reason: null } }, gpuHold: null });
    expect(typeof res.body.timeZone).toBe('string');
  });

  it.each([
    { name: 'a time that is not HH:MM', body: { windows: [{ category: 'gpu_encode', start: '25:00', end: '07:00' }] }, field: 'windows.0.start', says: 'HH:MM' },
    { name: 'a window that opens and closes at once', body: { windows: [{ category: 'gpu_encode', start: '22:00', end: '22:00' }] }, field: 'windows.0.end', says: 'same time' },
    { name: 'an unknown category', body: { windows: [{ category: 'gpu', start: '22:00', end: '07:00' }] }, field: 'windows.0.category', says: '' },
    { name: 'an unknown day', body: { windows: [{ category: 'cpu', start: '22:00', end: '07:00', days: ['monday'] }] }, field: 'windows.0.days.0', says: '' },
    { name: 'an unknown close action', body: { windows: [{ category: 'cpu', start: '22:00', end: '07:00', atClose: 'kill' }] }, field: 'windows.0.atClose', says: '' },
    { name: 'an unknown time zone', body: { timeZone: 'Mars/Olympus' }, field: 'timeZone', says: 'IANA time zone' },
    { name: 'an unknown field', body: { window: [] }, field: '', says: 'window' },
  ])('refuses $name with 400 VALIDATION_FAILED naming the field', async ({ body, field, says }) => {
    const res = await as('admin')('PUT', '/api/media/schedules', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain(field);
    expect(res.body.error.message).toContain(says);
  });

  it('lets only an admin change them, and applies and keeps what is saved', async () => {
    const windows = [{ category: 'gpu_encode', start: '22:00', end: '07:00', days: ['fri', 'sat'], atClose: 'suspend' }];
    expect((await as('operate')('PUT', '/api/media/schedules', { windows })).status).toBe(403);
    const res = await as('admin')('PUT', '/api/media/schedules', { timeZone: 'UTC', windows });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'stored', timeZone: 'UTC', settings: { timeZone: 'UTC', windows } });
    expect(res.body.categories.cpu).toEqual({ open: true, reason: null, nextChange: null });
    expect(typeof res.body.categories.gpu_encode.nextChange).toBe('string');
    // a later change of one field keeps the others; a null time zone goes back to this machine's
    const again = await as('admin')('PUT', '/api/media/schedules', { timeZone: null });
    expect(again.body.settings).toMatchObject({ windows });
    expect(again.body.settings.timeZone).toBeUndefined();
    expect((await as('read')('GET', '/api/media/schedules')).body.settings.windows).toEqual(windows);
    await as('admin')('PUT', '/api/media/schedules', { windows: [] });
  });
});

describe('POST /api/media/queue/drain', () => {
  it('needs operate, answers the queue state with the drain, and the resume ends it', async () => {
    expect((await as('read')('POST', '/api/media/queue/drain')).status).toBe(403);
    const res = await as('operate')('POST', '/api/media/queue/drain');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ paused: true, drain: { state: 'drained', live: 0 } });
    expect((await as('read')('GET', '/api/media/queue')).body.drain.state).toBe('drained');
    expect((await as('read')('GET', '/api/media/jobs/stats')).body.drain.state).toBe('drained');
    expect((await as('operate')('POST', '/api/media/queue/resume', {})).body).toMatchObject({ paused: false, drain: { state: 'off' } });
  });
});

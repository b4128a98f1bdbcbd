import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcResult } from '../../shared/contracts/desktop-api';
import { OPERATION_NAMES } from '../../shared/contracts/operations';
import { createRegistry } from '../processors/processor';
import { loadConfig } from '../runtime/config';
import { createRuntime, type Runtime } from '../runtime/create-runtime';
import { openSqliteStores, type SqliteStores } from '../storage/sqlite/open-sqlite-stores';
import { APP_ENTRY_URL } from '../electron/app-protocol';
import { FakeWebContents, fakeIpcMain, resetFakeElectron } from '../electron/testing/fake-electron';
import { INTERNAL_ERROR_MESSAGE } from './error-body';
import { installIpcBridge } from './index';
import { createOperationHandler } from './operation-bridge';

vi.mock('electron', async () => (await import('../electron/testing/fake-electron')).fakeElectron);

const ourFrame = { senderFrame: { url: APP_ENTRY_URL, parent: null } };
const foreignFrame = { senderFrame: { url: 'https://evil.example/', parent: null } };

let dir: string;
let store: SqliteStores;
let runtime: Runtime;
let contents: FakeWebContents;
let uninstall: () => void;

async function call(channel: string, event: unknown, input?: unknown): Promise<IpcResult<unknown>> {
  const handler = fakeIpcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return (handler as (event: unknown, input: unknown) => Promise<IpcResult<unknown>>)(event, input);
}

describe('IPC bridge', () => {
  beforeEach(async () => {
    resetFakeElectron();
    dir = mkdtempSync(join(tmpdir(), 'ipc-bridge-'));
    store = openSqliteStores(join(dir, 'jobs.db'));
    runtime = createRuntime({ config: loadConfig({ MEDIA_DATA_DIR: dir }), store: store.jobs, videos: store.videos, processors: createRegistry([]) });
    await runtime.start();
    contents = new FakeWebContents();
    uninstall = installIpcBridge({ runtime, trusted: {}, getEventTarget: () => contents });
  });

  afterEach(async () => {
    uninstall();
    await runtime.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers one channel per operation and no generic channel', () => {
    expect([...fakeIpcMain.handlers.keys()].sort()).toEqual(OPERATION_NAMES.map((n) => `op:${n}`).sort());
  });

  it('removes its handlers when uninstalled', () => {
    uninstall();
    expect(fakeIpcMain.handlers.size).toBe(0);
    uninstall = () => {};
  });

  it('answers a trusted page with the operation result', async () => {
    const result = await call('op:getStats', ourFrame, {});
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toMatchObject({ pending: 0, running: 0, failed: 0 });
  });

  it('acts as the desktop user (admin): the session says so and created jobs name it', async () => {
    expect(await call('op:getSession', ourFrame, {})).toEqual({ ok: true, value: { name: 'desktop', role: 'admin' } });
    const created = await call('op:createJob', ourFrame, { type: 'scan', params: {} });
    expect(created.ok).toBe(true);
    const id = (created as { ok: true; value: { id: string } }).value.id;
    expect(await call('op:getJob', ourFrame, { id })).toMatchObject({ ok: true, value: { createdBy: 'desktop' } });
  });

  it('rejects a foreign frame without running the operation', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const execute = vi.spyOn(runtime, 'execute');
    const result = await call('op:createJob', foreignFrame, { type: 'scan', params: {} });
    expect(result).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(execute).not.toHaveBeenCalled();
    expect(await call('op:getStats', { senderFrame: null })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    warn.mockRestore();
  });

  it('returns VALIDATION_FAILED for bad input', async () => {
    const result = await call('op:createJob', ourFrame, { type: 'scan', params: {}, priority: 'urgent', maxRetries: 99 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('VALIDATION_FAILED');
    expect(!result.ok && result.error.details).toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: 'priority' }), expect.objectContaining({ path: 'maxRetries' })]),
    });
    const missing = await call('op:createJob', ourFrame, undefined);
    expect(!missing.ok && missing.error.code).toBe('VALIDATION_FAILED');
    const extra = await call('op:getStats', ourFrame, { unexpected: true });
    expect(!extra.ok && extra.error.code).toBe('VALIDATION_FAILED');
  });

  it('passes on the stable code of domain errors', async () => {
    const result = await call('op:getJob', ourFrame, { id: '00000000-0000-4000-8000-000000000000' });
    expect(!result.ok && result.error.code).toBe('NOT_FOUND');
    const badId = await call('op:getJob', ourFrame, { id: 'not-a-uuid' });
    expect(!badId.ok && badId.error.code).toBe('INVALID_ID');
  });

  it('hides unexpected errors behind INTERNAL with a generic message', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = createOperationHandler('getStats', {
      runtime: { execute: () => Promise.reject(new Error('SQLITE_CORRUPT at /home/user/secret.db')) },
      trusted: {},
    });
    expect(await handler(ourFrame as never, {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: INTERNAL_ERROR_MESSAGE } });
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('forwards live events to the window in batches', async () => {
    const created = await call('op:createJob', ourFrame, { type: 'scan', params: {} });
    expect(created.ok, JSON.stringify(created)).toBe(true);
    await vi.waitFor(() => expect(contents.sent.length).toBeGreaterThan(0), { timeout: 2000 });
    const [first] = contents.sent;
    expect(first!.channel).toBe('events');
    const batch = first!.args[0] as Array<{ type: string }>;
    expect(Array.isArray(batch)).toBe(true);
    expect(batch.map((e) => e.type)).toContain('job.created');
  });
});

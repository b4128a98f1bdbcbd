import { describe, expect, it, vi } from 'vitest';
import type { MediaApi, MediaEventListener } from '../../../shared/contracts/desktop-api';
import { ApiError } from './api-error';
import { createIpcClient } from './ipc-client';

function fakeApi(overrides: Partial<Record<string, unknown>>): { api: MediaApi; push: (events: Parameters<MediaEventListener>[0]) => void } {
  let listener: MediaEventListener | null = null;
  const api = {
    ...overrides,
    onEvent: (l: MediaEventListener) => {
      listener = l;
      return () => {
        listener = null;
      };
    },
  } as unknown as MediaApi;
  return { api, push: (events) => listener?.(events) };
}

describe('IPC client', () => {
  it('unwraps ok results and turns error results into ApiError', async () => {
    const getStats = vi.fn(async () => ({ ok: true, value: { running: 2 } }));
    const retryJob = vi.fn(async () => ({ ok: false, error: { code: 'INVALID_TRANSITION', message: 'Cannot retry a job that is running', details: { status: 'running' } } }));
    const client = createIpcClient(fakeApi({ getStats, retryJob }).api);
    await expect(client.call('getStats', {})).resolves.toEqual({ running: 2 });
    const error = await client.call('retryJob', { id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'running' } });
    expect(retryJob).toHaveBeenCalledWith({ id: 'x' });
  });

  it('passes event batches through and stops on unsubscribe', () => {
    const { api, push } = fakeApi({});
    const client = createIpcClient(api);
    const onEvents = vi.fn();
    const onStatus = vi.fn();
    const off = client.subscribe({ onEvents, onStatus });
    expect(onStatus).toHaveBeenCalledWith('live');
    push([{ type: 'job.progress', jobId: 'a', progress: 5 }]);
    expect(onEvents).toHaveBeenCalledWith([{ type: 'job.progress', jobId: 'a', progress: 5 }]);
    off();
    push([{ type: 'job.progress', jobId: 'a', progress: 6 }]);
    expect(onEvents).toHaveBeenCalledTimes(1);
  });
});

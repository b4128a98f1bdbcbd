import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api-error';
import { createHttpClient } from './http-client';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('HTTP client', () => {
  it('sends the bearer token and returns the parsed answer', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => jsonResponse(200, { paused: false, pausedCategories: [], limits: {}, vramBudgetMb: null }));
    const client = createHttpClient({ token: 'secret', fetch: fetch as unknown as typeof globalThis.fetch, baseUrl: 'http://x' });
    const state = await client.call('getQueueState', {});
    expect(state.paused).toBe(false);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://x/api/media/queue');
    expect((init!.headers as Record<string, string>).authorization).toBe('Bearer secret');
    expect(init!.method).toBe('GET');
    expect(init!.body).toBeUndefined();
  });

  it('turns an error body into an ApiError with code, message and details', async () => {
    const body = { error: { code: 'INVALID_TRANSITION', message: 'Cannot retry a job that is running', details: { status: 'running' } } };
    const client = createHttpClient({ token: 't', fetch: (async () => jsonResponse(409, body)) as unknown as typeof fetch });
    const error = await client.call('retryJob', { id: '6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'INVALID_TRANSITION', message: 'Cannot retry a job that is running', details: { status: 'running' } });
  });

  it('reports a refused token once to onUnauthorized', async () => {
    const onUnauthorized = vi.fn();
    const client = createHttpClient({
      token: 'wrong',
      onUnauthorized,
      fetch: (async () => jsonResponse(401, { error: { code: 'UNAUTHORIZED', message: 'The bearer token is not valid.' } })) as unknown as typeof fetch,
    });
    await expect(client.call('getStats', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('rejects a call the token’s role does not allow (403 FORBIDDEN) without signing out', async () => {
    const onUnauthorized = vi.fn();
    const body = { error: { code: 'FORBIDDEN', message: 'The token "grafana" has the read role; this needs operate.', details: { requiredRole: 'operate', role: 'read' } } };
    const client = createHttpClient({ token: 'read-only', onUnauthorized, fetch: (async () => jsonResponse(403, body)) as unknown as typeof fetch });
    await expect(client.call('cancelJob', { id: '6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d' })).rejects.toMatchObject({ code: 'FORBIDDEN', details: { requiredRole: 'operate', role: 'read' } });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('says NETWORK when the server cannot be reached', async () => {
    const client = createHttpClient({ token: 't', fetch: (async () => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch });
    await expect(client.call('getStats', {})).rejects.toMatchObject({ code: 'NETWORK' });
  });
});

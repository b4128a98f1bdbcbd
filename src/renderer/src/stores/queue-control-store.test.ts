import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error';
import { drainedQueue, drainingQueue, IDLE_QUEUE, makeSchedules, queueControlHandlers } from '../features/queue-control/fixtures';
import { createFakeClient, manualTimers } from '../testing/fake-client';
import { createAppStores } from './app-stores';
import { createQueueControlStore, queueControlStoreFor } from './queue-control-store';
import { createQueueStore } from './queue-store';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the queue-control store', () => {
  it('reads the schedules and saves them, answering the server’s field errors by path', async () => {
    const client = createFakeClient(queueControlHandlers());
    const store = createQueueControlStore(client);
    await store.getState().load();
    expect(store.getState().schedules?.settings.windows).toHaveLength(1);
    expect(store.getState().error).toBeNull();

    const saved = await store.getState().save({ windows: [] });
    expect(saved.kind).toBe('saved');
    expect(client.callsOf('setSchedules')).toEqual([{ windows: [] }]);
    expect(store.getState().schedules?.settings.windows).toEqual([]);

    client.handlers.setSchedules = () => {
      throw new ApiError('VALIDATION_FAILED', 'Invalid input: windows.0.end: must be a time of day', { issues: [{ path: 'windows.0.end', message: 'must be a time of day written HH:MM (00:00 to 24:00)' }] });
    };
    const refused = await store.getState().save({ windows: [{ category: 'gpu_encode', start: '22:00', end: '25:00' }] });
    expect(refused).toEqual({ kind: 'invalid', message: expect.stringContaining('windows.0.end'), fields: { 'windows.0.end': 'must be a time of day written HH:MM (00:00 to 24:00)' } });
    expect(store.getState().saving).toBe(false);
    // what is shown stays what the server has
    expect(store.getState().schedules?.settings.windows).toEqual([]);

    client.handlers.setSchedules = () => {
      throw new ApiError('FORBIDDEN', 'needs admin', { requiredRole: 'admin', role: 'operate' });
    };
    expect(await store.getState().save({})).toMatchObject({ kind: 'failed', forbidden: true });
  });

  it('says why the schedules could not be read', async () => {
    const client = createFakeClient({
      getSchedules: () => {
        throw new ApiError('NETWORK', 'Could not reach the server (offline).');
      },
    });
    const store = createQueueControlStore(client);
    await store.getState().load();
    expect(store.getState()).toMatchObject({ schedules: null, loading: false, error: 'Could not reach the server (offline).' });
  });

  it('drains: the answer is the queue’s new state, in the session’s queue store', async () => {
    const client = createFakeClient({ ...queueControlHandlers(), getStats: () => ({}) as never, getQueueState: () => IDLE_QUEUE });
    const queue = createQueueStore(client);
    await queue.getState().load();
    const store = createQueueControlStore(client, { queue });
    expect(await store.getState().drain()).toBe(true);
    expect(client.callsOf('drainQueue')).toEqual([{}]);
    expect(queue.getState().queue?.drain?.state).toBe('draining');
    expect(store.getState().draining).toBe(false);

    client.handlers.drainQueue = () => {
      throw new ApiError('INTERNAL', 'the database is gone');
    };
    expect(await store.getState().drain()).toBe(false);
    expect(store.getState().drainError).toBe('the database is gone');
  });

  it('follows the drain live: queue.updated events reach the queue store (draining → drained)', async () => {
    const client = createFakeClient({ ...queueControlHandlers(), getStats: () => ({}) as never, getQueueState: () => IDLE_QUEUE, listJobs: () => ({ data: [], pagination: { page: 1, limit: 20, total: 0, totalPages: 1 } }) });
    const timers = manualTimers();
    const stores = createAppStores(client, { timers, batchIntervalMs: 10 });
    const stop = stores.start();
    await flush();
    client.emit([{ type: 'queue.updated', queue: drainingQueue(2) }]);
    timers.advance(20);
    expect(stores.queue.getState().queue?.drain).toMatchObject({ state: 'draining', live: 2 });
    client.emit([{ type: 'queue.updated', queue: drainedQueue() }]);
    timers.advance(20);
    expect(stores.queue.getState().queue?.drain?.state).toBe('drained');
    // one store per session, sharing the session's queue store
    expect(queueControlStoreFor(stores)).toBe(queueControlStoreFor(stores));
    stop();
  });

  it('while shown, reads the schedules again just after the next window boundary', async () => {
    const timers = manualTimers();
    const boundary = timers.now() + 5 * 60_000;
    let reads = 0;
    const client = createFakeClient({
      getSchedules: () => {
        reads += 1;
        const open = reads > 1;
        return makeSchedules({
          categories: {
            cpu: { open: true, reason: null, nextChange: null },
            gpu_encode: open ? { open: true, reason: null, nextChange: new Date(boundary + 3600_000).toISOString() } : { open: false, reason: 'gpu_encode: outside its window, opens 22:00', nextChange: new Date(boundary).toISOString() },
            gpu_ai: { open: true, reason: null, nextChange: null },
          },
        });
      },
    });
    const store = createQueueControlStore(client, { timers, boundarySlackMs: 1000 });
    await store.getState().load();
    // not shown: no timer
    expect(timers.scheduled).toBe(0);
    const deactivate = store.getState().activate();
    expect(timers.scheduled).toBe(1);
    timers.advance(5 * 60_000);
    expect(reads).toBe(1);
    timers.advance(1000);
    await flush();
    expect(reads).toBe(2);
    expect(store.getState().schedules?.categories.gpu_encode?.open).toBe(true);
    // the next boundary is armed; leaving the page disarms it
    expect(timers.scheduled).toBe(1);
    deactivate();
    expect(timers.scheduled).toBe(0);
  });
});

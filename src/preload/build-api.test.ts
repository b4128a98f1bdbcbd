import { beforeEach, describe, expect, it, vi } from 'vitest';
import { OPERATION_NAMES } from '../shared/contracts/operations';
import { fakeContextBridge, fakeIpcRenderer, resetFakeElectron } from '../main/electron/testing/fake-electron';
import { buildMediaApi } from './build-api';
import { PRELOAD_OPERATION_NAMES } from './operation-names';

vi.mock('electron', async () => (await import('../main/electron/testing/fake-electron')).fakeElectron);

describe('preload API', () => {
  beforeEach(() => resetFakeElectron());

  it('knows exactly the operations of the operations table', () => {
    expect([...PRELOAD_OPERATION_NAMES].sort()).toEqual([...OPERATION_NAMES].sort());
  });

  it('exposes window.mediaApi with one function per operation plus onEvent', async () => {
    await import('./index');
    const api = fakeContextBridge.exposed.get('mediaApi') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...OPERATION_NAMES, 'onEvent'].sort());
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('invokes each operation on its own channel', async () => {
    const api = buildMediaApi(fakeIpcRenderer as never, PRELOAD_OPERATION_NAMES);
    await api.getStats();
    await api.getJob({ id: 'abc' });
    expect(fakeIpcRenderer.invocations).toEqual([
      { channel: 'op:getStats', args: [{}] },
      { channel: 'op:getJob', args: [{ id: 'abc' }] },
    ]);
  });

  it('delivers event batches without the Electron event object, until unsubscribed', () => {
    const api = buildMediaApi(fakeIpcRenderer as never, PRELOAD_OPERATION_NAMES);
    const received: unknown[][] = [];
    const unsubscribe = api.onEvent((...args) => received.push(args));
    const batch = [{ type: 'job.progress', jobId: 'a', progress: 50 }];
    fakeIpcRenderer.emit('events', { sender: 'secret' }, batch);
    unsubscribe();
    fakeIpcRenderer.emit('events', { sender: 'secret' }, batch);
    expect(received).toEqual([[batch]]);
    expect(fakeIpcRenderer.listenerCount('events')).toBe(0);
  });

  it('refuses a listener that is not a function', () => {
    const api = buildMediaApi(fakeIpcRenderer as never, PRELOAD_OPERATION_NAMES);
    expect(() => api.onEvent('nope' as never)).toThrow(TypeError);
  });
});

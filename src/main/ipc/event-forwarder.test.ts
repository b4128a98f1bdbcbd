import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuntimeEvent, RuntimeEventListener } from '../runtime/events';
import { forwardEvents } from './event-forwarder';

function fakeRuntime() {
  const listeners = new Set<RuntimeEventListener>();
  return {
    subscribe(listener: RuntimeEventListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event: RuntimeEvent) {
      for (const l of listeners) l(event);
    },
    get listenerCount() {
      return listeners.size;
    },
  };
}

function fakeTarget() {
  return { destroyed: false, sent: [] as unknown[][], isDestroyed() { return this.destroyed; }, send(channel: string, events: unknown) { this.sent.push([channel, events]); } };
}

const progress = (jobId: string, value: number): RuntimeEvent => ({ type: 'job.progress', jobId, progress: value });
const log = (jobId: string, text: string): RuntimeEvent => ({ type: 'job.log', jobId, at: '2026-01-01T00:00:00.000Z', text });

describe('event forwarder', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends one batch per interval on the events channel', () => {
    const runtime = fakeRuntime();
    const target = fakeTarget();
    forwardEvents(runtime, () => target, { intervalMs: 100 });
    runtime.emit(log('a', 'one'));
    runtime.emit(log('a', 'two'));
    expect(target.sent).toHaveLength(0);
    vi.advanceTimersByTime(100);
    expect(target.sent).toEqual([['events', [log('a', 'one'), log('a', 'two')]]]);
  });

  it('keeps only the latest progress of each job within a batch', () => {
    const runtime = fakeRuntime();
    const target = fakeTarget();
    forwardEvents(runtime, () => target);
    runtime.emit(progress('a', 10));
    runtime.emit(progress('b', 5));
    runtime.emit(progress('a', 20));
    vi.advanceTimersByTime(100);
    expect(target.sent[0]![1]).toEqual([progress('a', 20), progress('b', 5)]);
  });

  it('sends a full batch at once', () => {
    const runtime = fakeRuntime();
    const target = fakeTarget();
    forwardEvents(runtime, () => target, { maxBatch: 3 });
    for (let i = 0; i < 3; i++) runtime.emit(log('a', String(i)));
    expect(target.sent).toHaveLength(1);
  });

  it('drops events while there is no window, and never sends to a destroyed one', () => {
    const runtime = fakeRuntime();
    const target = fakeTarget();
    let current: typeof target | null = null;
    forwardEvents(runtime, () => current);
    runtime.emit(log('a', 'lost'));
    vi.advanceTimersByTime(100);
    current = target;
    target.destroyed = true;
    runtime.emit(log('a', 'lost too'));
    vi.advanceTimersByTime(100);
    expect(target.sent).toHaveLength(0);
  });

  it('flushes and unsubscribes when stopped', () => {
    const runtime = fakeRuntime();
    const target = fakeTarget();
    const stop = forwardEvents(runtime, () => target);
    runtime.emit(log('a', 'last'));
    stop();
    expect(target.sent).toHaveLength(1);
    expect(runtime.listenerCount).toBe(0);
  });
});

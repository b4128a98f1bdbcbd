import { describe, expect, it, vi } from 'vitest';
import type { MediaEvent } from '../../../shared/contracts/events';
import { ApiError } from './api-error';
import { EventStream, type EventSourceLike } from './event-stream';
import { CREATED_BATCH_EVENT, compactCreatedJob, splitCreatedBatch } from '../../../shared/contracts/event-frames';
import { columnizeCreatedBatch } from '../../../shared/contracts/created-batch-columns';
import { makeJob } from '../testing/fake-client';

class FakeEventSource implements EventSourceLike {
  onerror: ((event: Event) => void) | null = null;
  onopen: ((event: Event) => void) | null = null;
  closed = false;
  readonly listeners = new Map<string, Array<(event: MessageEvent<string>) => void>>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  fire(type: string, data: unknown, id = '') {
    for (const l of this.listeners.get(type) ?? []) l({ data: JSON.stringify(data), lastEventId: id } as MessageEvent<string>);
  }
}

function setup(getTicket: () => Promise<string>) {
  const sources: FakeEventSource[] = [];
  const events: MediaEvent[] = [];
  const statuses: string[] = [];
  const timers: Array<() => void> = [];
  const onReset = vi.fn();
  const onUnauthorized = vi.fn();
  const stream = new EventStream({
    getTicket,
    openEventSource: (url) => {
      const s = new FakeEventSource(url);
      sources.push(s);
      return s;
    },
    onEvent: (e) => events.push(e),
    onReset,
    onStatus: (s) => statuses.push(s),
    onUnauthorized,
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => {},
  });
  return { stream, sources, events, statuses, timers, onReset, onUnauthorized };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('EventStream', () => {
  it('opens the stream with a fresh ticket and delivers named events', async () => {
    const t = setup(async () => 'ticket-1');
    t.stream.start();
    await flush();
    expect(t.sources[0]!.url).toBe('/api/media/events?ticket=ticket-1&batch=3');
    t.sources[0]!.onopen?.(new Event('open'));
    t.sources[0]!.fire('job.progress', { type: 'job.progress', jobId: 'a', progress: 40 }, '17');
    expect(t.events).toEqual([{ type: 'job.progress', jobId: 'a', progress: 40 }]);
    expect(t.statuses).toContain('live');
    expect(t.stream.lastId).toBe('17');
  });

  it('makes a job.created frame whole again: the fields it leaves out at their initial values', async () => {
    const t = setup(async () => 'ticket-1');
    t.stream.start();
    await flush();
    const job = makeJob({ status: 'pending', createdBy: 'ci', params: { videoId: 'v1' } });
    t.sources[0]!.fire('job.created', { type: 'job.created', job: compactCreatedJob(job) }, '18');
    expect(t.events).toEqual([{ type: 'job.created', job }]);
  });

  it('expands a job.created.batch frame into one whole job.created per job, in order, and keeps its id', async () => {
    const t = setup(async () => 'ticket-1');
    t.stream.start();
    await flush();
    const jobs = [makeJob({ id: 'b1', priority: 3 }), makeJob({ id: 'b2' }), makeJob({ id: 'b3', progress: 0.5 })];
    t.sources[0]!.fire('job.progress', { type: 'job.progress', jobId: 'a', progress: 40 }, '20');
    t.sources[0]!.fire(CREATED_BATCH_EVENT, splitCreatedBatch(jobs.map((job) => compactCreatedJob(job))), '23');
    t.sources[0]!.fire('job.created', { type: 'job.created', job: compactCreatedJob(makeJob({ id: 'b4' })) }, '24');
    expect(t.events.map((e) => e.type)).toEqual(['job.progress', 'job.created', 'job.created', 'job.created', 'job.created']);
    expect(t.events.slice(1, 4)).toEqual(jobs.map((job) => ({ type: 'job.created', job })));
    expect(t.stream.lastId).toBe('24');
    // a bare array (the batch form before `shared`) still reads as jobs with nothing shared
    t.sources[0]!.fire(CREATED_BATCH_EVENT, [compactCreatedJob(makeJob({ id: 'b5' }))], '25');
    expect(t.stream.lastId).toBe('25');
    expect(t.events.at(-1)).toEqual({ type: 'job.created', job: makeJob({ id: 'b5' }) });
    // the column form (batch=3, what the stream asks for): the same whole jobs, in order
    const more = [makeJob({ id: 'c10', createdAt: '2026-02-13T10:30:15.001Z' }), makeJob({ id: 'c11', createdAt: '2026-02-13T10:30:15.042Z' })];
    t.sources[0]!.fire(CREATED_BATCH_EVENT, columnizeCreatedBatch(splitCreatedBatch(more.map((job) => compactCreatedJob(job)))), '27');
    expect(t.stream.lastId).toBe('27');
    expect(t.events.slice(-2)).toEqual(more.map((job) => ({ type: 'job.created', job })));
  });

  it('on error closes the spent ticket and reconnects with a new ticket and lastEventId', async () => {
    let n = 0;
    const t = setup(async () => `ticket-${++n}`);
    t.stream.start();
    await flush();
    t.sources[0]!.fire('stats.changed', { type: 'stats.changed', stats: {} }, '41');
    t.sources[0]!.onerror?.(new Event('error'));
    expect(t.sources[0]!.closed).toBe(true);
    expect(t.statuses.at(-1)).toBe('reconnecting');
    t.timers.shift()!();
    await flush();
    expect(t.sources[1]!.url).toBe('/api/media/events?ticket=ticket-2&batch=3&lastEventId=41');
  });

  it('asks for a reload on `reset`', async () => {
    const t = setup(async () => 'x');
    t.stream.start();
    await flush();
    t.sources[0]!.fire('reset', { reason: 'events were missed' });
    expect(t.onReset).toHaveBeenCalledTimes(1);
  });

  it('stops for good when the token is refused', async () => {
    const t = setup(async () => {
      throw new ApiError('UNAUTHORIZED', 'no');
    });
    t.stream.start();
    await flush();
    expect(t.onUnauthorized).toHaveBeenCalledTimes(1);
    expect(t.sources).toHaveLength(0);
    expect(t.timers).toHaveLength(0);
    expect(t.statuses.at(-1)).toBe('closed');
  });

  it('retries the ticket with growing delays when the server is down', async () => {
    const t = setup(async () => {
      throw new ApiError('NETWORK', 'down');
    });
    t.stream.start();
    await flush();
    expect(t.timers).toHaveLength(1);
    t.timers.shift()!();
    await flush();
    expect(t.timers).toHaveLength(1);
    t.stream.stop();
    t.timers.shift()!();
    await flush();
    expect(t.timers).toHaveLength(0);
  });
});

/**
 * A MediaClient for tests: canned answers per operation, recorded calls, and events pushed by hand.
 * getSession answers TEST_CALLER (admin) unless a test gives its own handler.
 */
import type { Caller } from '../../../shared/contracts/access';
import type { MediaEvent } from '../../../shared/contracts/events';
import type { Job, Stats } from '../../../shared/contracts/job';
import type { Video } from '../../../shared/contracts/video';
import type { MediaClient, MediaSubscriber, OperationInput, OperationName, OperationOutput, StreamStatus } from '../api/media-client';

export type Handlers = { [N in OperationName]?: (input: OperationInput<N>) => OperationOutput<N> | Promise<OperationOutput<N>> };

export interface FakeClient extends MediaClient {
  readonly calls: Array<{ name: OperationName; input: unknown }>;
  callsOf(name: OperationName): unknown[];
  emit(events: readonly MediaEvent[]): void;
  reset(): void;
  status(status: StreamStatus): void;
  handlers: Handlers;
}

export const TEST_CALLER: Caller = { name: 'tester', role: 'admin' };

export function createFakeClient(given: Handlers = {}): FakeClient {
  const handlers: Handlers = { getSession: () => TEST_CALLER, ...given };
  const subscribers = new Set<MediaSubscriber>();
  const calls: Array<{ name: OperationName; input: unknown }> = [];
  const client: FakeClient = {
    kind: 'http',
    handlers,
    calls,
    callsOf: (name) => calls.filter((c) => c.name === name).map((c) => c.input),
    async call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
      calls.push({ name, input });
      const handler = client.handlers[name] as ((input: OperationInput<N>) => OperationOutput<N> | Promise<OperationOutput<N>>) | undefined;
      if (!handler) throw new Error(`fake client: no handler for ${name}`);
      return handler(input);
    },
    subscribe(subscriber) {
      subscribers.add(subscriber);
      subscriber.onStatus?.('live');
      return () => subscribers.delete(subscriber);
    },
    emit(events) {
      for (const s of subscribers) s.onEvents(events);
    },
    reset() {
      for (const s of subscribers) s.onReset?.();
    },
    status(status) {
      for (const s of subscribers) s.onStatus?.(status);
    },
  };
  return client;
}

/** A probed, valid library video ("Holiday", 1080p, 65 s); tests override what they need. */
export function makeVideo(overrides: Partial<Video> = {}): Video {
  return {
    id: '6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d',
    path: 'inbox/holiday.mp4',
    filename: 'holiday.mp4',
    title: 'Holiday',
    directoryType: 'inbox',
    sizeBytes: 1000,
    durationSeconds: 65,
    width: 1920,
    height: 1080,
    fps: 25,
    videoCodec: 'h264',
    audioCodec: 'aac',
    bitrate: 1000,
    orientation: 'landscape',
    hasAudio: true,
    valid: true,
    validationError: null,
    missing: false,
    thumbnailPath: null,
    reencodeJobId: null,
    sourceJobId: null,
    createdAt: '2026-02-13T10:00:00.000Z',
    updatedAt: '2026-02-13T10:00:00.000Z',
    probedAt: '2026-02-13T10:00:00.000Z',
    ...overrides,
  };
}

let counter = 0;
export function makeJob(overrides: Partial<Job> = {}): Job {
  counter += 1;
  const hex = counter.toString(16).padStart(12, '0');
  return {
    id: `00000000-0000-4000-8000-${hex}`,
    type: 'reencode_streaming',
    status: 'pending',
    createdBy: null,
    pipelineRunId: null,
    parentJobId: null,
    params: {},
    progress: 0,
    priority: 5,
    queuePosition: null,
    waitingReason: null,
    resourceCategory: 'gpu_encode',
    vramRequired: 4000,
    createdAt: '2026-02-13T10:30:15.000Z',
    startedAt: null,
    completedAt: null,
    retryCount: 0,
    maxRetries: 3,
    retryAfter: null,
    lastError: null,
    nodeId: null,
    cancelling: false,
    ...overrides,
  };
}

export const EMPTY_STATS: Stats = {
  pending: 0,
  queued: 0,
  running: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  paused: 0,
  suspended: 0,
  totalVramUsed: 0,
  totalVramAvailable: null,
  averageProcessingTime: 0,
  jobsByType: {},
  runningByCategory: { cpu: 0, gpu_encode: 0, gpu_ai: 0 },
  scope: 'fleet',
  nodes: [],
};

/** A listJobs handler that pages over a fixed array (newest first as given). */
export function pagedJobs(all: () => readonly Job[]) {
  return (input: OperationInput<'listJobs'>): OperationOutput<'listJobs'> => {
    const page = Number(input.page ?? 1);
    const limit = Number(input.limit ?? 20);
    const filtered = all().filter((j) => (!input.status || j.status === input.status) && (!input.type || j.type === input.type) && (!input.resourceCategory || j.resourceCategory === input.resourceCategory));
    return {
      data: filtered.slice((page - 1) * limit, page * limit),
      pagination: { page, limit, total: filtered.length, totalPages: Math.max(1, Math.ceil(filtered.length / limit)) },
    };
  };
}

/** Fake timers as the stores take them (no global clock patching). */
export function manualTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      const id = ++seq;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (handle: unknown) => {
      pending.delete(handle as number);
    },
    /** Moves the clock, running what falls due, in order. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
    get scheduled() {
      return pending.size;
    },
  };
}

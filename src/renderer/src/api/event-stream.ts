/**
 * The browser's live events: server-sent events from /api/media/events. An EventSource cannot
 * send an Authorization header, so each connection first trades the bearer token for a one-time
 * ticket (POST /api/media/events/ticket). Because the ticket is spent, the browser's own
 * reconnect would fail; this class closes a broken stream itself and reconnects with a fresh
 * ticket and `lastEventId`, so the server replays what was missed (or sends `reset` when its
 * history does not reach back that far).
 *
 * It opens the stream with `batch=3`: a burst of creates then arrives as `job.created.batch` frames
 * (several short jobs in one frame, fewer frames to parse), which this class expands into one
 * `job.created` event per job, in order, so the stores see exactly what one frame per event gave.
 */
import type { MediaEvent, MediaEventType } from '../../../shared/contracts/events';
import { CREATED_BATCH_EVENT, expandCreatedBatch, expandCreatedJob } from '../../../shared/contracts/event-frames';
import type { Job } from '../../../shared/contracts/job';
import type { StreamStatus } from './media-client';

/** Every event type the server names in `event:` lines (a new type fails to compile until listed). */
const EVENT_TYPES = {
  'job.created': true,
  'job.updated': true,
  'job.progress': true,
  'job.log': true,
  'job.console': true,
  'stats.changed': true,
  'pipeline.run.updated': true,
  'queue.updated': true,
  notification: true,
} as const satisfies Record<MediaEventType, true>;
export const STREAM_EVENT_TYPES = Object.keys(EVENT_TYPES) as MediaEventType[];

export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  onerror: ((event: Event) => void) | null;
  onopen: ((event: Event) => void) | null;
  close(): void;
}

export interface EventStreamOptions {
  /** Trades the token for a ticket; rejects with an ApiError (UNAUTHORIZED when the token is bad). */
  readonly getTicket: () => Promise<string>;
  readonly openEventSource: (url: string) => EventSourceLike;
  readonly onEvent: (event: MediaEvent) => void;
  readonly onReset: () => void;
  readonly onStatus: (status: StreamStatus) => void;
  /** The ticket was refused because the token is no longer valid: stop for good. */
  readonly onUnauthorized?: () => void;
  readonly path?: string;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

export class EventStream {
  private source: EventSourceLike | null = null;
  private lastEventId: string | null = null;
  private attempt = 0;
  private timer: unknown = null;
  private stopped = true;
  private generation = 0;

  constructor(private readonly options: EventStreamOptions) {}

  /** The id of the last event received (sent back as `lastEventId` on reconnect). */
  get lastId(): string | null {
    return this.lastEventId;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    this.clearRetry();
    this.source?.close();
    this.source = null;
    this.options.onStatus('closed');
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.options.onStatus(this.attempt === 0 && this.lastEventId === null ? 'connecting' : 'reconnecting');
    let ticket: string;
    try {
      ticket = await this.options.getTicket();
    } catch (error) {
      if (generation !== this.generation) return;
      if ((error as { code?: string }).code === 'UNAUTHORIZED') {
        this.stopped = true;
        this.options.onStatus('closed');
        this.options.onUnauthorized?.();
        return;
      }
      this.scheduleReconnect();
      return;
    }
    if (generation !== this.generation) return;
    const query = new URLSearchParams({ ticket, batch: '3' });
    if (this.lastEventId !== null) query.set('lastEventId', this.lastEventId);
    const source = this.options.openEventSource(`${this.options.path ?? '/api/media/events'}?${query.toString()}`);
    this.source = source;
    source.onopen = () => {
      if (generation !== this.generation) return;
      this.attempt = 0;
      this.options.onStatus('live');
    };
    source.onerror = () => {
      if (generation !== this.generation) return;
      // the ticket is spent: never let the browser retry with it
      source.close();
      this.source = null;
      this.scheduleReconnect();
    };
    for (const type of STREAM_EVENT_TYPES) {
      source.addEventListener(type, (message) => {
        if (generation !== this.generation) return;
        if (message.lastEventId) this.lastEventId = message.lastEventId;
        let event: MediaEvent;
        try {
          event = JSON.parse(message.data) as MediaEvent;
          // a job.created frame leaves out the fields still at their initial values
          if (event.type === 'job.created') event = { type: event.type, job: expandCreatedJob(event.job) };
        } catch {
          return;
        }
        this.options.onEvent(event);
      });
    }
    source.addEventListener(CREATED_BATCH_EVENT, (message) => {
      if (generation !== this.generation) return;
      if (message.lastEventId) this.lastEventId = message.lastEventId;
      let jobs: Job[];
      try {
        jobs = expandCreatedBatch(JSON.parse(message.data));
      } catch {
        return;
      }
      for (const job of jobs) this.options.onEvent({ type: 'job.created', job });
    });
    source.addEventListener('reset', () => {
      if (generation !== this.generation) return;
      this.options.onReset();
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.options.onStatus('reconnecting');
    const min = this.options.minDelayMs ?? 1000;
    const max = this.options.maxDelayMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** this.attempt);
    this.attempt += 1;
    const setTimer = this.options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearRetry();
    this.timer = setTimer(() => {
      this.timer = null;
      if (!this.stopped) void this.connect();
    }, delay);
  }

  private clearRetry(): void {
    if (this.timer === null) return;
    const clearTimer = this.options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    clearTimer(this.timer);
    this.timer = null;
  }
}

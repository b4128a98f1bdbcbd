/**
 * Pushes the runtime's live events to the window on the `events` channel in batches (one message
 * per 100 ms at most), so a burst of progress and log lines costs the renderer one IPC message.
 * Within a batch only the latest progress of each job is kept.
 */
import { IPC_EVENTS_CHANNEL, type MediaEvent } from '../../shared/contracts/desktop-api';
import type { Runtime } from '../runtime/create-runtime';
import type { RuntimeEvent } from '../runtime/events';

export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export interface EventForwarderOptions {
  readonly intervalMs?: number;
  /** A batch this large is sent at once instead of waiting for the timer. */
  readonly maxBatch?: number;
}

/** The runtime's events are the renderer's events; this fails to compile if they drift apart. */
const asMediaEvent = (event: RuntimeEvent): MediaEvent => event;

export function forwardEvents(
  runtime: Pick<Runtime, 'subscribe'>,
  getTarget: () => EventTarget | null,
  options: EventForwarderOptions = {},
): () => void {
  const intervalMs = options.intervalMs ?? 100;
  const maxBatch = options.maxBatch ?? 500;
  let batch: MediaEvent[] = [];
  const progressIndex = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const events = batch;
    batch = [];
    progressIndex.clear();
    const target = getTarget();
    if (events.length === 0 || !target || target.isDestroyed()) return;
    target.send(IPC_EVENTS_CHANNEL, events);
  };

  const unsubscribe = runtime.subscribe((runtimeEvent) => {
    const event = asMediaEvent(runtimeEvent);
    if (event.type === 'job.progress') {
      const at = progressIndex.get(event.jobId);
      if (at !== undefined) {
        batch[at] = event;
        return;
      }
      progressIndex.set(event.jobId, batch.length);
    }
    batch.push(event);
    if (batch.length >= maxBatch) flush();
    else timer ??= setTimeout(flush, intervalMs);
  });

  return () => {
    unsubscribe();
    flush();
  };
}

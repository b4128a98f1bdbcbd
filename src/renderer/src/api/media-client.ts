/**
 * The one client the UI talks to, whatever carries it (IPC in the desktop app, HTTP + SSE in a
 * browser). Operation names, inputs and outputs are the shared operations table's types.
 */
import type { MediaEvent } from '../../../shared/contracts/events';
import type { OperationInput, OperationName, OperationOutput } from '../../../shared/contracts/operations';

export type { OperationInput, OperationName, OperationOutput };

/** State of the live event stream, for the "live" indicator in the header. */
export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface MediaSubscriber {
  /** A batch of live events, in order. */
  onEvents(events: readonly MediaEvent[]): void;
  /** Events were missed (the server's history no longer reaches back far enough): reload the state. */
  onReset?(): void;
  onStatus?(status: StreamStatus): void;
}

export interface MediaClient {
  /** Which transport this is (shown in the header; the web build can sign out). */
  readonly kind: 'ipc' | 'http';
  /** Runs one operation; rejects with an ApiError carrying the runtime's code, message and details. */
  call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
  /** Live events; returns the unsubscribe function. */
  subscribe(subscriber: MediaSubscriber): () => void;
}

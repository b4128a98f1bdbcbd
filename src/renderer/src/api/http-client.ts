/**
 * The browser transport: REST calls with `Authorization: Bearer <token>` (paths and methods from
 * the operations table) and live events over SSE (see event-stream.ts). One event stream is shared
 * by every subscriber and runs while at least one is subscribed.
 */
import type { ErrorBody } from '../../../shared/contracts/errors';
import type { MediaEvent } from '../../../shared/contracts/events';
import { ApiError } from './api-error';
import { EventStream, type EventSourceLike } from './event-stream';
import { buildHttpRequest } from './http-request';
import type { MediaClient, MediaSubscriber, OperationInput, OperationName, OperationOutput, StreamStatus } from './media-client';

export interface HttpClientOptions {
  readonly token: string;
  /** Prefix of every URL ('' for the page's own origin). */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly openEventSource?: (url: string) => EventSourceLike;
  /** Called when the server refuses the token (401): the web app signs out. */
  readonly onUnauthorized?: () => void;
}

async function readError(response: Response): Promise<ApiError> {
  let body: { error?: ErrorBody } | undefined;
  try {
    body = (await response.json()) as { error?: ErrorBody };
  } catch {
    body = undefined;
  }
  if (body?.error?.code) return ApiError.fromBody(body.error);
  if (response.status === 401) return new ApiError('UNAUTHORIZED', 'The API token was refused.');
  return new ApiError(response.status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED', `The server answered ${response.status} ${response.statusText}.`);
}

export function createHttpClient(options: HttpClientOptions): MediaClient {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const openEventSource = options.openEventSource ?? ((url: string) => new EventSource(url) as unknown as EventSourceLike);
  const subscribers = new Set<MediaSubscriber>();
  let status: StreamStatus = 'closed';

  async function request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: string): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${url}`, { method, headers, body });
    } catch (error) {
      throw new ApiError('NETWORK', `Could not reach the server (${error instanceof Error ? error.message : String(error)}).`);
    }
    if (!response.ok) {
      const error = await readError(response);
      if (error.code === 'UNAUTHORIZED') options.onUnauthorized?.();
      throw error;
    }
    return response.json();
  }

  const stream = new EventStream({
    getTicket: async () => ((await request('POST', '/api/media/events/ticket')) as { ticket: string }).ticket,
    openEventSource: (url) => openEventSource(`${baseUrl}${url}`),
    onEvent: (event: MediaEvent) => {
      for (const s of subscribers) s.onEvents([event]);
    },
    onReset: () => {
      for (const s of subscribers) s.onReset?.();
    },
    onStatus: (next) => {
      status = next;
      for (const s of subscribers) s.onStatus?.(next);
    },
    onUnauthorized: () => options.onUnauthorized?.(),
  });

  return {
    kind: 'http',
    async call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
      const spec = buildHttpRequest(name, input);
      return (await request(spec.method, spec.url, spec.body)) as OperationOutput<N>;
    },
    subscribe(subscriber: MediaSubscriber): () => void {
      subscribers.add(subscriber);
      subscriber.onStatus?.(status);
      if (subscribers.size === 1) stream.start();
      return () => {
        if (!subscribers.delete(subscriber)) return;
        if (subscribers.size === 0) stream.stop();
      };
    },
  };
}

/**
 * Tests only: the events route alone on a Fastify server on a free loopback port, with the
 * AbortControllers of the streams its tests open, aborted when it closes (an open event stream would
 * otherwise keep app.close() waiting).
 */
import Fastify from 'fastify';
import type { EventJournal } from '../event-journal';
import { registerEventsRoute } from '../events-route';

export interface EventsServer {
  readonly url: string;
  /** A controller for one stream's fetch, aborted on close. */
  controller(): AbortController;
  close(): Promise<void>;
}

export async function serveEventsRoute(journal: EventJournal, options: Parameters<typeof registerEventsRoute>[2] = {}): Promise<EventsServer> {
  const app = Fastify();
  registerEventsRoute(app, journal, options);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const controllers: AbortController[] = [];
  return {
    url,
    controller() {
      const controller = new AbortController();
      controllers.push(controller);
      return controller;
    },
    async close() {
      for (const c of controllers) c.abort();
      await app.close();
    },
  };
}

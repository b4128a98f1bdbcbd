/**
 * An event is serialised once, however many SSE clients are connected: the journal's entries
 * carry their frame, and the events route writes those same bytes to every client (live and backlog).
 */
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../runtime/events';
import { EventJournal, sseFrame, type FrameSerializer } from './event-journal';
import { registerEventsRoute } from './events-route';

function countingSerializer(): { serialize: FrameSerializer; calls: () => number } {
  let calls = 0;
  return {
    serialize: (id, event) => {
      calls++;
      return sseFrame(id, event);
    },
    calls: () => calls,
  };
}

const progress = (n: number): RuntimeEvent => ({ type: 'job.progress', jobId: `job-${n}`, progress: n / 10 });

describe('EventJournal frames', () => {
  it('serialises each entry once, lazily, whatever the number of subscribers', () => {
    const counter = countingSerializer();
    const journal = new EventJournal(100, counter.serialize);
    const written: Buffer[][] = Array.from({ length: 50 }, () => []);
    written.forEach((out) => journal.subscribe((entry) => out.push(entry.frame)));

    for (let n = 1; n <= 3; n++) journal.append(progress(n));

    expect(counter.calls()).toBe(3);
    for (const out of written) {
      expect(out).toHaveLength(3);
      out.forEach((bytes, i) => expect(bytes).toBe(written[0]![i])); // the very same buffer
    }
    expect(written[0]![0]!.toString('utf8')).toBe(`id: 1\nevent: job.progress\ndata: ${JSON.stringify(progress(1))}\n\n`);

    // the backlog reuses the cached frames
    for (const entry of journal.since(0).entries) void entry.frame;
    expect(counter.calls()).toBe(3);
  });

  it('does not serialise an event nobody reads', () => {
    const counter = countingSerializer();
    const journal = new EventJournal(100, counter.serialize);
    journal.append(progress(1));
    expect(counter.calls()).toBe(0);
    expect(journal.since(0).entries[0]!.frame.toString()).toContain('"jobId":"job-1"');
    expect(counter.calls()).toBe(1);
  });
});

describe('events route with many clients', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('sends every client the same frames with one serialisation per event (live and backlog)', async () => {
    const counter = countingSerializer();
    const journal = new EventJournal(100, counter.serialize);
    const app = Fastify();
    registerEventsRoute(app, journal);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const controllers: AbortController[] = [];
    close = async () => {
      for (const c of controllers) c.abort();
      await app.close();
    };

    journal.append(progress(0)); // backlog for clients resuming from id 0
    const clients = 20;
    const readers = await Promise.all(
      Array.from({ length: clients }, async () => {
        const controller = new AbortController();
        controllers.push(controller);
        const response = await fetch(`${url}/api/media/events?lastEventId=0`, { signal: controller.signal });
        return response.body!.getReader();
      }),
    );
    // every client is subscribed once its response headers arrived
    for (let n = 1; n <= 5; n++) journal.append(progress(n));

    const decoder = new TextDecoder();
    const texts = await Promise.all(
      readers.map(async (reader) => {
        let text = '';
        while (!text.includes('id: 5\n')) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
        return text;
      }),
    );
    const expected = [0, 1, 2, 3, 4, 5].map((n) => sseFrame(n + 1, progress(n))).join('');
    for (const text of texts) expect(text).toBe(`retry: 2000\n\n${expected}`);
    expect(counter.calls()).toBe(6); // six events, twenty clients
  });
});

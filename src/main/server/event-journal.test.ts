/**
 * An event is serialised once, however many SSE clients are connected: the journal's entries
 * carry their frame, and the events route writes those same bytes to every client (live and backlog).
 */
import { connect as connectSocket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../runtime/events';
import { EventBroadcaster, EventJournal, coalesce, sseFrame, type FrameSerializer } from './event-journal';
import { serveEventsRoute } from './testing/events-server';

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
    const server = await serveEventsRoute(journal);
    const url = server.url;
    close = () => server.close();

    journal.append(progress(0)); // backlog for clients resuming from id 0
    const clients = 20;
    const readers = await Promise.all(
      Array.from({ length: clients }, async () => {
        const controller = server.controller();
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

const stats = (n: number): RuntimeEvent => ({ type: 'stats.changed', stats: { total: n } as never });
const log = (n: number): RuntimeEvent => ({ type: 'job.log', jobId: 'job-1', at: new Date(n).toISOString(), text: `line ${n}` });
const ids = (text: string): number[] => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

describe('coalescing a flush', () => {
  it('keeps the last stats.changed and the last progress of each job, and everything else, in order', () => {
    const journal = new EventJournal(100);
    const events = [stats(1), progress(1), log(1), progress(1), progress(2), stats(2), log(2), progress(1)];
    const entries = events.map((e) => journal.append(e));
    const kept = coalesce(entries).map((e) => e.id);
    // ids: 1 stats, 2 p1, 3 log, 4 p1, 5 p2, 6 stats, 7 log, 8 p1
    expect(kept).toEqual([3, 5, 6, 7, 8]);
  });
});

describe('EventBroadcaster', () => {
  it('writes the entries of a flush to each client as one buffer, the same for every client', () => {
    const journal = new EventJournal(100);
    const broadcaster = new EventBroadcaster(journal, { flushMs: 25 });
    const writes: Buffer[][] = [[], [], []];
    const removers = writes.map((out) => broadcaster.add(journal.lastId, (b) => out.push(b)).remove);
    for (let n = 1; n <= 5; n++) journal.append(log(n));
    broadcaster.flush();
    for (const out of writes) {
      expect(out).toHaveLength(1);
      expect(out[0]).toBe(writes[0]![0]);
      expect(ids(out[0]!.toString())).toEqual([1, 2, 3, 4, 5]);
    }
    removers.forEach((remove) => remove());
  });

  it('gives a client that joins mid-flush its backlog up to the last flush, then the rest once', () => {
    const journal = new EventJournal(100);
    const broadcaster = new EventBroadcaster(journal, { flushMs: 25 });
    const early: Buffer[] = [];
    const first = broadcaster.add(0, (b) => early.push(b));
    journal.append(log(1));
    broadcaster.flush();
    journal.append(log(2)); // pending
    const late: Buffer[] = [];
    const fromStart = broadcaster.add(0, (b) => late.push(b));
    expect(fromStart.backlog.map((e) => e.id)).toEqual([1]);
    const fresh: Buffer[] = [];
    const joinedNow = broadcaster.add(journal.lastId, (b) => fresh.push(b)); // no Last-Event-ID: from now on
    expect(joinedNow.backlog).toEqual([]);
    journal.append(log(3));
    broadcaster.flush();
    expect(ids(Buffer.concat(early).toString())).toEqual([1, 2, 3]);
    expect(ids(Buffer.concat(late).toString())).toEqual([2, 3]);
    expect(ids(Buffer.concat(fresh).toString())).toEqual([3]);
    for (const c of [first, fromStart, joinedNow]) c.remove();
  });

  it('flushes a lone event at the next turn and batches a burst within the window', async () => {
    const journal = new EventJournal(100);
    const broadcaster = new EventBroadcaster(journal, { flushMs: 30 });
    const out: Buffer[] = [];
    const { remove } = broadcaster.add(0, (b) => out.push(b));
    journal.append(log(1));
    await new Promise((r) => setImmediate(r));
    expect(out).toHaveLength(1); // after a quiet spell: at once
    for (let n = 2; n <= 20; n++) journal.append(log(n));
    await new Promise((r) => setImmediate(r));
    expect(out).toHaveLength(1); // within the window: waits
    await new Promise((r) => setTimeout(r, 60));
    expect(out).toHaveLength(2);
    expect(ids(Buffer.concat(out).toString())).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    remove();
  });
});

describe('EventBroadcaster write budget', () => {
  it('widens its window past the clients the write budget allows, up to its cap, and narrows it as they leave', () => {
    const journal = new EventJournal(100);
    const broadcaster = new EventBroadcaster(journal, { flushMs: 50, writesPerSecond: 2000, maxFlushMs: 250 });
    const add = (n: number) => Array.from({ length: n }, () => broadcaster.add(0, () => undefined));
    const first = add(100);
    expect(broadcaster.windowMs).toBe(50); // 100 clients × 20 flushes/s = the budget
    const more = add(100);
    expect(broadcaster.windowMs).toBe(100); // 200 clients: 10 flushes/s
    const many = add(800);
    expect(broadcaster.windowMs).toBe(250); // 1,000 clients would need 500 ms: capped
    for (const c of [...many, ...more]) c.remove();
    expect(broadcaster.windowMs).toBe(50);
    for (const c of first) c.remove();
    expect(new EventBroadcaster(journal, { flushMs: 50 }).windowMs).toBe(50); // no budget: fixed
  });

  it('holds a burst for the wider window with many clients, a lone event after a quiet spell still at once', async () => {
    const journal = new EventJournal(100);
    const broadcaster = new EventBroadcaster(journal, { flushMs: 10, writesPerSecond: 1000, maxFlushMs: 1000 });
    const out: Buffer[] = [];
    const watched = broadcaster.add(0, (b) => out.push(b));
    const others = Array.from({ length: 99 }, () => broadcaster.add(0, () => undefined)); // 100 clients: 100 ms
    journal.append(log(1));
    await new Promise((r) => setImmediate(r));
    expect(out).toHaveLength(1);
    journal.append(log(2));
    await new Promise((r) => setTimeout(r, 40)); // past flushMs, inside the widened window
    expect(out).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 120));
    expect(out).toHaveLength(2);
    expect(ids(Buffer.concat(out).toString())).toEqual([1, 2]);
    for (const c of [watched, ...others]) c.remove();
  });
});

describe('events route delivery', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  async function serve(options: { flushMs?: number; writesPerSecond?: number; maxBufferedBytes?: number } = {}) {
    const journal = new EventJournal(10_000);
    const server = await serveEventsRoute(journal, options);
    const url = server.url;
    close = () => server.close();
    const connect = async (lastEventId?: number) => {
      const controller = server.controller();
      const query = lastEventId === undefined ? '' : `?lastEventId=${lastEventId}`;
      const response = await fetch(`${url}/api/media/events${query}`, { signal: controller.signal });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      return {
        abort: () => controller.abort(),
        /** Reads until `until` holds for the text so far (or the stream ends). */
        read: async (until: (text: string) => boolean) => {
          while (!until(text)) {
            const { value, done } = await reader.read();
            if (done) return { text, ended: true };
            text += decoder.decode(value, { stream: true });
          }
          return { text, ended: false };
        },
      };
    };
    return { journal, url, connect };
  }

  it('delivers every created/updated/log frame in order across flushes, and resumes after a reconnect', async () => {
    const { journal, connect } = await serve({ flushMs: 5 });
    const client = await connect();
    const job = { id: 'j' } as never;
    const sent: RuntimeEvent[] = [];
    for (let n = 0; n < 300; n++) {
      const event: RuntimeEvent = n % 3 === 0 ? { type: 'job.created', job } : n % 3 === 1 ? { type: 'job.updated', job } : log(n);
      sent.push(event);
      journal.append(event);
      journal.append(stats(n)); // superseded within a flush, but the last one always arrives
      if (n % 40 === 0) await new Promise((r) => setTimeout(r, 8));
    }
    const { text } = await client.read((t) => t.includes(`id: ${journal.lastId}\n`));
    const frames = text.split('\n\n').filter((f) => f.startsWith('id: '));
    const nonStats = frames.filter((f) => !f.includes('event: stats.changed'));
    expect(nonStats.map((f) => JSON.parse(f.split('\ndata: ')[1]!) as RuntimeEvent)).toEqual(sent);
    const seen = ids(text);
    expect(seen).toEqual([...seen].sort((a, b) => a - b)); // increasing
    expect(seen.at(-1)).toBe(journal.lastId);
    expect(text.endsWith(`data: ${JSON.stringify(stats(299))}\n\n`)).toBe(true);

    // the client stops after id 100 and reconnects from there: it gets everything after, in order
    client.abort();
    for (let n = 300; n < 310; n++) journal.append(log(n));
    const again = await connect(100);
    const resumed = await again.read((t) => t.includes(`id: ${journal.lastId}\n`));
    expect(ids(resumed.text)).toEqual(Array.from({ length: journal.lastId - 100 }, (_, i) => 101 + i));
    expect(resumed.text).not.toContain('event: reset');
  });

  it('cuts off a client that does not read once its buffer passes the bound, with a lagging event', async () => {
    // a flush per turn of the event loop (no write budget, which would widen the window to 0.5 ms for one client): the bound is checked at each
    const { journal, url } = await serve({ flushMs: 0, writesPerSecond: 0, maxBufferedBytes: 256 * 1024 });
    const { port } = new URL(url);
    const socket = connectSocket(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /api/media/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    socket.pause(); // a client that never reads
    await new Promise((r) => setTimeout(r, 50));
    const big = 'x'.repeat(32 * 1024);
    let appended = 0;
    // far more than the kernel's socket buffers and the bound hold
    for (let round = 0; round < 200; round++) {
      for (let n = 0; n < 10; n++) journal.append({ type: 'job.log', jobId: 'j', at: '', text: big });
      appended += 10 * 32 * 1024;
      await new Promise((r) => setImmediate(r));
    }
    // now read what was kept for it: it ends with the lagging event, far short of what was sent
    let received = 0;
    let tail = '';
    // the response ends (HTTP/1.1 chunked: the last chunk), the kept-alive connection may stay
    const ended = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        tail = (tail + chunk.toString('latin1')).slice(-4096);
        if (tail.endsWith('\r\n0\r\n\r\n')) resolve();
      });
      socket.once('end', () => resolve());
    });
    socket.resume();
    await ended;
    socket.destroy();
    expect(tail).toContain('event: lagging');
    expect(received).toBeLessThan(appended / 2);
  }, 30_000);
});

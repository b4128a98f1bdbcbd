/**
 * The event stream gzip-encoded on a real server, read over real sockets as a browser would:
 * clients that accept gzip get `content-encoding: gzip` and, once inflated, exactly the bytes a
 * client without it gets; the gzip clients' compressed bytes are the same bytes (each flush
 * deflated once for all); and a stream the server ends (shutdown) ends as a valid gzip stream.
 */
import { request, type IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startTestRuntime, waitFor, type TestRuntime } from '../runtime/testing/test-runtime';
import { testTokenRegistry } from './testing/test-tokens';
import { createServer } from './create-server';
import { httpClient } from './testing/http-client';

const TOKEN = 'gzip-events-token-0123456789abcdef';
let t: TestRuntime;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  t = await startTestRuntime();
  // no keep-alive comment during the test: one would land at another point of each client's stream
  app = await createServer({ runtime: t.runtime, tokens: testTokenRegistry(TOKEN), version: 'test', health: () => ({}), rendererDir: null, eventStream: { heartbeatMs: 3_600_000 } });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await t.dispose();
});

interface Reader {
  readonly response: IncomingMessage;
  /** The bytes as they came over the socket. */
  readonly wire: Buffer[];
  /** The stream's text (inflated where it was gzip). */
  readonly text: () => string;
  /** Resolves when the stream ended cleanly (a gzip stream: its trailer checked), rejects on a decoding error. */
  readonly ended: Promise<void>;
}

function open(path: string, acceptEncoding: string | null): Promise<Reader> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' };
    if (acceptEncoding !== null) headers['accept-encoding'] = acceptEncoding;
    const req = request(`${url}${path}`, { headers, agent: false }, (response) => {
      const wire: Buffer[] = [];
      const out: Buffer[] = [];
      response.on('data', (chunk: Buffer) => wire.push(chunk));
      const gzip = response.headers['content-encoding'] === 'gzip';
      const body = gzip ? response.pipe(createGunzip()) : response;
      if (gzip) response.on('error', () => {}); // the gunzip reports the end
      body.on('data', (chunk: Buffer) => out.push(chunk));
      const ended = new Promise<void>((done, fail) => {
        body.on('end', done);
        body.on('error', fail);
      });
      ended.catch(() => {}); // awaited by the test that ends the streams
      resolve({ response, wire, text: () => Buffer.concat(out).toString('utf8'), ended });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the event stream, gzip-encoded for clients that accept it', () => {
  it('sends gzip clients, inflated, the very bytes an identity client gets, the compressed bytes shared, and ends each as a valid gzip stream', async () => {
    const api = httpClient(url, TOKEN);
    const zipped = [await open('/api/media/events?batch=3', 'gzip, deflate, br, zstd'), await open('/api/media/events?batch=3', 'gzip')];
    const plain = await open('/api/media/events?batch=3', null);
    const refusing = await open('/api/media/events?batch=3', 'gzip;q=0, identity');
    for (const r of zipped) {
      expect(r.response.headers['content-encoding']).toBe('gzip');
      expect(r.response.headers.vary).toMatch(/accept-encoding/i);
      expect(r.response.headers['content-type']).toMatch(/^text\/event-stream/);
    }
    for (const r of [plain, refusing]) expect(r.response.headers['content-encoding']).toBeUndefined();
    const all = [...zipped, plain, refusing];
    // every stream has its preamble before the jobs are created, so all get the same flushes
    await waitFor(() => all.every((r) => r.text().startsWith('retry: 2000\n\n')));

    const ids: string[] = [];
    for (let burst = 0; burst < 4; burst++) {
      const created = await Promise.all(Array.from({ length: 40 }, () => api('POST', '/api/media/jobs', { type: 'scan', params: { sleepMs: 0 } })));
      ids.push(...created.map((r) => r.body.id as string));
    }
    const sawAll = (r: Reader) => {
      const text = r.text();
      return ids.every((id) => text.includes(id.slice(-12)));
    };
    await waitFor(() => all.every(sawAll), 10_000);
    // let the jobs' later events (they run and complete) reach every stream, then compare
    await waitFor(() => all.every((r) => r.text() === plain.text() && r.text().split('job.updated').length > ids.length), 10_000);

    for (const r of all) expect(r.text()).toBe(plain.text());
    // each flush deflated once: both gzip clients were sent the same bytes, far fewer than the text
    const wire = zipped.map((r) => Buffer.concat(r.wire));
    expect(wire[1]!.equals(wire[0]!)).toBe(true);
    expect(wire[0]!.length).toBeLessThan(Buffer.byteLength(plain.text()) / 2);

    // a stream the server ends is a whole gzip stream: final block and trailer (CRC-32, length), checked by gunzip
    await app.close();
    await Promise.all(all.map((r) => r.ended));
  }, 60_000);
});

/**
 * Server-sent events (tickets, live events, resume with Last-Event-ID) and the OpenAPI document's
 * agreement with the routes the server really registers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { OPERATIONS } from '../../shared/contracts/operations';
import { expandCreatedBatch, expandCreatedJob } from '../../shared/contracts/event-frames';
import { startTestRuntime, waitFor, type TestRuntime } from '../runtime/testing/test-runtime';
import { testTokenRegistry } from './testing/test-tokens';
import { EXTRA_ROUTES } from './openapi';
import type { DeclaredRoute } from './access/route-access';
import { createServer } from './create-server';
import { httpClient } from './testing/http-client';

const TOKEN = 'events-test-token-0123456789abcdef';
let t: TestRuntime;
let app: FastifyInstance;
let url: string;
const routes: DeclaredRoute[] = [];

beforeAll(async () => {
  t = await startTestRuntime();
  app = await createServer({
    runtime: t.runtime,
    tokens: testTokenRegistry(TOKEN),
    version: 'test',
    health: () => ({}),
    rendererDir: null,
    onRoute: (r) => routes.push(r),
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await t.dispose();
});

interface SseEvent {
  id: number | null;
  event: string;
  data: any;
}

/** Opens the stream and collects parsed events until `done` says so. */
async function collect(path: string, headers: Record<string, string>, done: (events: SseEvent[]) => boolean, timeoutMs = 5000): Promise<SseEvent[]> {
  const controller = new AbortController();
  const response = await fetch(`${url}${path}`, { headers, signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!done(events)) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${events.map((e) => e.event).join(',')}`);
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
        if (fields.data) events.push({ id: fields.id ? Number(fields.id) : null, event: fields.event ?? 'message', data: JSON.parse(fields.data) });
      }
    }
  } finally {
    controller.abort();
  }
  return events;
}

describe('server-sent events', () => {
  it('streams job events to a client holding a one-time ticket, and refuses a reused ticket', async () => {
    const api = httpClient(url, TOKEN);
    const ticket = (await api('POST', '/api/media/events/ticket')).body.ticket as string;
    const streaming = collect(`/api/media/events?ticket=${ticket}`, {}, (ev) => ev.some((e) => e.event === 'job.updated' && e.data.job.status === 'completed'));
    await new Promise((r) => setTimeout(r, 100));
    const job = (await api('POST', '/api/media/jobs', { type: 'scan', params: { sleepMs: 100 } })).body;
    const events = await streaming;
    const mine = events.filter((e) => e.data.job?.id === job.id || e.data.jobId === job.id);
    expect(mine.map((e) => e.event)).toContain('job.created');
    // a job.created frame leaves out the fields still at their initial values; expanded, it is the whole job
    const created = mine.find((e) => e.event === 'job.created')!.data.job;
    expect(created).not.toHaveProperty('progress');
    expect(created).not.toHaveProperty('startedAt');
    expect(expandCreatedJob(created)).toMatchObject({ id: job.id, type: 'scan', status: 'pending', progress: 0, startedAt: null, nodeId: null, resourceCategory: 'cpu' });
    expect(mine.filter((e) => e.event === 'job.updated').map((e) => e.data.job.status)).toEqual(['running', 'completed']);
    expect(mine.some((e) => e.event === 'job.progress')).toBe(true);
    const ids = events.map((e) => e.id!);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const reuse = await fetch(`${url}/api/media/events?ticket=${ticket}`);
    expect(reuse.status).toBe(401);
  });

  it('sends a ticket client that asks for batch=3 (the web UI does) every created job (batched or not), and refuses another batch value', async () => {
    const api = httpClient(url, TOKEN);
    const ticket = (await api('POST', '/api/media/events/ticket')).body.ticket as string;
    const createdIds = (ev: SseEvent[]) => ev.flatMap((e) => (e.event === 'job.created.batch' ? expandCreatedBatch(e.data).map((j) => j.id) : e.event === 'job.created' ? [e.data.job.id] : []));
    let wanted: string[] = [];
    let posted = false;
    const streaming = collect(`/api/media/events?ticket=${ticket}&batch=3`, {}, (ev) => posted && wanted.every((id) => createdIds(ev).includes(id)));
    await new Promise((r) => setTimeout(r, 100));
    // created in one burst: group commit and the 50-ms flush put them in few frames
    wanted = (await Promise.all(Array.from({ length: 12 }, () => api('POST', '/api/media/jobs', { type: 'scan', params: { sleepMs: 0 } })))).map((r) => r.body.id as string);
    posted = true;
    const events = await streaming;
    const got = createdIds(events);
    expect(got.filter((id) => wanted.includes(id)).sort()).toEqual([...wanted].sort()); // each exactly once
    const batches = events.filter((e) => e.event === 'job.created.batch');
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) {
      expect(batch.data.count).toBeGreaterThanOrEqual(2);
      expect(batch.data.shared).toMatchObject({ type: 'scan', status: 'pending' }); // what the burst's jobs share, once
      // each job's id and creation time as columns: the part all share once, the rest packed
      expect(batch.data.columns.id).toMatchObject({ width: 36 - batch.data.columns.id.prefix.length });
      expect(batch.data.columns.id.packed).toHaveLength(batch.data.count * batch.data.columns.id.width);
      expect(Object.keys(batch.data.columns)).not.toContain('progress'); // the short form
      const whole = expandCreatedBatch(batch.data);
      expect(whole).toHaveLength(batch.data.count);
      expect(whole.every((job) => job.type === 'scan' && job.progress === 0 && job.startedAt === null && !Number.isNaN(Date.parse(job.createdAt)))).toBe(true);
    }
    const ids = events.map((e) => e.id!);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    const other = (await api('POST', '/api/media/events/ticket')).body.ticket as string;
    const bad = await fetch(`${url}/api/media/events?ticket=${other}&batch=yes`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });

  it('resumes after a disconnect with Last-Event-ID and delivers what was missed', async () => {
    const api = httpClient(url, TOKEN);
    const first = await collect('/api/media/events', { authorization: `Bearer ${TOKEN}` }, () => true, 1000);
    expect(first).toEqual([]);
    const before = await collect('/api/media/events?lastEventId=0', { authorization: `Bearer ${TOKEN}` }, (ev) => ev.length > 0);
    const lastSeen = before.at(-1)!.id!;
    const job = (await api('POST', '/api/media/jobs', { type: 'scan', params: { sleepMs: 0 } })).body;
    await waitFor(async () => (await api('GET', `/api/media/jobs/${job.id}`)).body.status === 'completed');
    const missed = await collect('/api/media/events', { authorization: `Bearer ${TOKEN}`, 'last-event-id': String(lastSeen) }, (ev) => ev.some((e) => e.data.job?.id === job.id && e.data.job.status === 'completed'));
    expect(missed[0]!.id).toBeGreaterThan(lastSeen);
    expect(missed.filter((e) => e.data.job?.id === job.id).map((e) => e.event)).toEqual(['job.created', 'job.updated', 'job.updated']);
  });
});

describe('shutdown with open event streams', () => {
  it('closes the server promptly even while a client holds an event stream', async () => {
    const t2 = await startTestRuntime();
    const app2 = await createServer({ runtime: t2.runtime, tokens: testTokenRegistry(TOKEN), version: 'test', health: () => ({}), rendererDir: null });
    const url2 = await app2.listen({ host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    const response = await fetch(`${url2}/api/media/events`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    const started = Date.now();
    await app2.close();
    expect(Date.now() - started).toBeLessThan(3000);
    controller.abort();
    await t2.dispose();
  });
});

describe('OpenAPI document', () => {
  it('lists exactly the routes the server registers', async () => {
    const doc = (await httpClient(url, null)('GET', '/api/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const served = routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS').map((r) => `${r.method} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    expect(new Set(served)).toEqual(new Set(documented));
  });

  it('states the access each route declares: operations from the operations table, the others from EXTRA_ROUTES', async () => {
    const doc = (await httpClient(url, null)('GET', '/api/openapi.json')).body;
    const toPath = (u: string) => u.replace(/:([A-Za-z]+)/g, '{$1}');
    for (const r of routes.filter((r) => r.method !== 'HEAD')) {
      const documented = doc.paths[toPath(r.url)][r.method.toLowerCase()];
      if (r.access === 'public') expect(documented.security, `${r.method} ${r.url}`).toEqual([]);
      else expect(documented['x-required-role'], `${r.method} ${r.url}`).toBe(r.access);
      const declared = Object.values(OPERATIONS).find((o) => o.method === r.method && o.path === r.url)?.access ?? EXTRA_ROUTES.find((e) => e.method.toUpperCase() === r.method && e.path === r.url)?.access;
      expect(declared, `${r.method} ${r.url}`).toBe(r.access);
    }
  });

  it('documents each operation with its parameters and schemas', async () => {
    const doc = (await httpClient(url, null)('GET', '/api/openapi.json')).body;
    const list = doc.paths['/api/media/jobs'].get;
    // the spec's query parameters, and ours (a search by file, a creation-date range, the parts of segmented encodes)
    expect(list.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['createdFrom', 'createdTo', 'includeChildren', 'limit', 'page', 'resourceCategory', 'search', 'status', 'type']);
    expect(doc.paths['/api/media/jobs/{id}/children']?.get, 'the parts of a segmented encode').toBeDefined();
    const create = doc.paths['/api/media/jobs'].post;
    expect(Object.keys(create.requestBody.content['application/json'].schema.properties).sort()).toEqual(Object.keys(OPERATIONS.createJob.input.shape).sort());
    expect(create.responses['201']).toBeDefined();
    // a GPU job's pin (#18): named, with its range, and which job types take it
    const params = create.requestBody.content['application/json'].schema.properties.params;
    expect(params.properties).toMatchObject({ gpu: { type: 'integer', minimum: 0, maximum: 63, description: expect.stringContaining('nvidia-smi') }, gpuModel: { type: 'string', minLength: 1 } });
    expect(params.description).toMatch(/GPU job types \([^)]*tag_generation[^)]*\) also accept `gpu` and\/or `gpuModel`/);
    expect(params.description).not.toMatch(/\([^)]*\bvalidate\b[^)]*\) also accept/);
    expect(doc.paths['/api/media/jobs/{id}/cancel'].post.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    // a cancel of a running job answers its status unchanged and `cancelling`; jobs carry the flag
    const cancelAnswer = JSON.stringify(doc.paths['/api/media/jobs/{id}/cancel'].post.responses['200']);
    expect(cancelAnswer).toMatch(/"cancelling":\{[^}]*"type":"boolean"/);
    expect(JSON.stringify(doc.paths['/api/media/jobs/{id}'].get.responses['200'])).toMatch(/"cancelling":\{[^}]*"type":"boolean"/);
  });

  it('documents the event stream\'s batch parameter and its job.created.batch event', async () => {
    const doc = (await httpClient(url, null)('GET', '/api/openapi.json')).body;
    const events = doc.paths['/api/media/events'].get;
    expect(events.parameters.find((p: { name: string }) => p.name === 'batch')).toMatchObject({ in: 'query', required: false, schema: { enum: ['0', '1', '2', '3'] } });
    expect(events.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['batch', 'lastEventId', 'ticket']);
    expect(events.description).toContain('job.created.batch');
  });
});

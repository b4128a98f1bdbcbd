/**
 * Batched frames (`batch=3` the column form; `batch=2` {shared, jobs}; `batch=1` the bare-array form): runs of consecutive job.created events of a flush or backlog arrive as
 * one job.created.batch frame, built once for every batching client; other clients get one frame
 * per event; Last-Event-ID after a batch replays neither twice nor too little.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../runtime/events';
import type { Job } from '../../shared/contracts/job';
import { columnizeCreatedBatch } from '../../shared/contracts/created-batch-columns';
import { CREATED_BATCH_EVENT, compactCreatedJob, expandCreatedBatch, splitCreatedBatch } from '../../shared/contracts/event-frames';
import { EventBroadcaster, EventJournal, sseFrame } from './event-journal';
import { joinBatchedFrames } from './event-batch-frames';
import { serveEventsRoute } from './testing/events-server';

const jobOf = (n: number) => ({ id: `job-${n}`, type: 'scan', status: 'pending', progress: 0, startedAt: null, priority: n }) as unknown as Job;
const created = (n: number): RuntimeEvent => ({ type: 'job.created', job: jobOf(n) });
const log = (n: number): RuntimeEvent => ({ type: 'job.log', jobId: 'job-1', at: new Date(n).toISOString(), text: `line ${n}` });

interface Frame {
  id: number;
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON under test
  data: any;
}
function parse(text: string): Frame[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const fields = Object.fromEntries(block.split('\n').map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
      return { id: Number(fields.id), event: fields.event!, data: JSON.parse(fields.data!) };
    });
}
const shortJob = (n: number): unknown => JSON.parse(JSON.stringify(compactCreatedJob(jobOf(n))));

describe('joinBatchedFrames', () => {
  it('merges each run of two or more job.created into one frame with the run’s last id, keeps other frames and order', () => {
    const journal = new EventJournal(100);
    // ids: 1 c, 2 c, 3 c, 4 log, 5 c, 6 log, 7 c, 8 c
    const entries = [created(1), created(2), created(3), log(4), created(5), log(6), created(7), created(8)].map((e) => journal.append(e));
    const frames = parse(joinBatchedFrames(entries).toString('utf8'));
    expect(frames.map((f) => [f.id, f.event])).toEqual([
      [3, CREATED_BATCH_EVENT],
      [4, 'job.log'],
      [5, 'job.created'], // a run of one stays a plain frame
      [6, 'job.log'],
      [8, CREATED_BATCH_EVENT],
    ]);
    // the fields every job of the run shares are sent once; each job's own (its id …) per job
    const shortJobs = (data: { shared: object; jobs: object[] }) => data.jobs.map((own) => ({ ...data.shared, ...own }));
    expect(shortJobs(frames[0]!.data)).toEqual([shortJob(1), shortJob(2), shortJob(3)]);
    expect(frames[0]!.data.shared).toMatchObject({ type: 'scan' });
    for (const own of frames[0]!.data.jobs) expect(Object.keys(own)).not.toContain('type');
    expect(shortJobs(frames[0]!.data)[0]).not.toHaveProperty('progress'); // the short job.created form
    expect(frames[2]!.data).toEqual({ type: 'job.created', job: shortJob(5) });
    expect(shortJobs(frames[4]!.data)).toEqual([shortJob(7), shortJob(8)]);
    // the plain frame of a run of one is the journal's cached frame, byte for byte
    expect(joinBatchedFrames([entries[4]!])).toBe(entries[4]!.frame);
  });
});

describe('batch data joined from the entries\' cached field JSON', () => {
  it('is byte for byte what JSON.stringify of splitCreatedBatch (or of the bare jobs) gives', () => {
    const variants: Job[] = [
      { ...jobOf(1), params: { videoId: 'v1', crf: 23 } } as Job,
      { ...jobOf(2), params: { videoId: 'v1', crf: 23 }, gpuIndex: undefined } as Job, // undefined: left out as JSON leaves it out
      { ...jobOf(3), params: { crf: 23, videoId: 'v1' }, lastError: 'a "quoted"\nline' } as Job, // same params, other key order: not shared
      { ...jobOf(4), params: { videoId: 'v1', crf: 23 }, queuePosition: 2, priority: 4 } as Job,
    ];
    for (const run of [variants, variants.slice(0, 2), [variants[0]!, variants[0]!]]) {
      const journal = new EventJournal(100);
      const entries = run.map((job) => journal.append({ type: 'job.created', job }));
      const short = run.map((job) => compactCreatedJob(job));
      const [shared] = parse(joinBatchedFrames(entries, 'shared').toString('utf8'));
      const [array] = parse(joinBatchedFrames(entries, 'array').toString('utf8'));
      const text = (buffer: Buffer) => buffer.toString('utf8').split('\ndata: ')[1]!.trimEnd();
      expect(text(joinBatchedFrames(entries, 'shared'))).toBe(JSON.stringify(splitCreatedBatch(short)));
      expect(text(joinBatchedFrames(entries, 'array'))).toBe(JSON.stringify(short));
      expect(text(joinBatchedFrames(entries, 'columns'))).toBe(JSON.stringify(columnizeCreatedBatch(splitCreatedBatch(short))));
      expect(expandCreatedBatch(shared!.data)).toEqual(expandCreatedBatch(array!.data));
      const [columns] = parse(joinBatchedFrames(entries, 'columns').toString('utf8'));
      expect(expandCreatedBatch(columns!.data)).toEqual(expandCreatedBatch(array!.data));
    }
  });
});

describe('EventBroadcaster with batching and plain clients', () => {
  it('builds the batched buffer once per flush for all batching clients; plain clients get today’s frames', () => {
    const journal = new EventJournal(100);
    const broadcaster = new EventBroadcaster(journal, { flushMs: 25 });
    const batching: Buffer[][] = [[], []];
    const plain: Buffer[] = [];
    const firstForm: Buffer[][] = [[], []]; // batch=1: data a bare array
    const removers = [
      ...batching.map((out) => broadcaster.add(journal.lastId, (b) => out.push(b), { batch: 'shared' }).remove),
      ...firstForm.map((out) => broadcaster.add(journal.lastId, (b) => out.push(b), { batch: 'array' }).remove),
      broadcaster.add(journal.lastId, (b) => plain.push(b)).remove,
    ];
    const events = [created(1), created(2), log(3), created(4), created(5), created(6)];
    for (const e of events) journal.append(e);
    broadcaster.flush();

    expect(batching[0]).toHaveLength(1);
    expect(batching[1]![0]).toBe(batching[0]![0]); // the very same buffer: built once
    const frames = parse(batching[0]![0]!.toString('utf8'));
    expect(frames.map((f) => [f.id, f.event])).toEqual([[2, CREATED_BATCH_EVENT], [3, 'job.log'], [6, CREATED_BATCH_EVENT]]);
    expect(frames[2]!.data.jobs.map((j: { id: string }) => j.id)).toEqual(['job-4', 'job-5', 'job-6']);

    // the first form: the same frames, ids and order, data the bare array of short jobs; one buffer for its clients too
    expect(firstForm[1]![0]).toBe(firstForm[0]![0]);
    const arrays = parse(firstForm[0]![0]!.toString('utf8'));
    expect(arrays.map((f) => [f.id, f.event])).toEqual([[2, CREATED_BATCH_EVENT], [3, 'job.log'], [6, CREATED_BATCH_EVENT]]);
    expect(arrays[0]!.data).toEqual([shortJob(1), shortJob(2)]);
    expect(arrays[2]!.data.map((j: { id: string }) => j.id)).toEqual(['job-4', 'job-5', 'job-6']);

    expect(plain).toHaveLength(1);
    expect(plain[0]!.toString('utf8')).toBe(events.map((e, i) => sseFrame(i + 1, e)).join(''));
    removers.forEach((remove) => remove());
  });
});

describe('a batching client that joins mid-flush', () => {
  it('gets only the entries after the ones it has seen, still batched', () => {
    const journal = new EventJournal(100);
    const broadcaster = new EventBroadcaster(journal, { flushMs: 25 });
    const early: Buffer[] = [];
    const first = broadcaster.add(0, (b) => early.push(b), { batch: 'shared' });
    for (const n of [1, 2, 3]) journal.append(created(n)); // pending
    const fresh: Buffer[] = [];
    const joinedNow = broadcaster.add(journal.lastId - 1, (b) => fresh.push(b), { batch: 'shared' }); // has seen 1 and 2
    for (const n of [4, 5]) journal.append(created(n));
    broadcaster.flush();
    expect(parse(early[0]!.toString()).map((f) => [f.id, f.event, f.data.jobs.length])).toEqual([[5, CREATED_BATCH_EVENT, 5]]);
    const frames = parse(Buffer.concat(fresh).toString());
    expect(frames.map((f) => [f.id, f.event])).toEqual([[5, CREATED_BATCH_EVENT]]);
    expect(frames[0]!.data.jobs.map((j: { id: string }) => j.id)).toEqual(['job-3', 'job-4', 'job-5']);
    for (const c of [first, joinedNow]) c.remove();
  });
});

describe('events route with batch=3 (and batch=2, batch=1)', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  async function serve(journal: EventJournal): Promise<string> {
    const server = await serveEventsRoute(journal);
    close = () => server.close();
    return server.url;
  }

  /** Reads the backlog of a stream until the frame with id `untilId`. */
  async function read(url: string, query: string, untilId: number): Promise<Frame[]> {
    const controller = new AbortController();
    const response = await fetch(`${url}/api/media/events?${query}`, { signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!new RegExp(`^id: ${untilId}$`, 'm').test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    return parse(text);
  }

  it('batches the backlog, and resuming after a batch id replays from the next event exactly', async () => {
    const journal = new EventJournal(100);
    // ids: 1 c, 2 c, 3 c, 4 log, 5 c, 6 c
    for (const e of [created(1), created(2), created(3), log(4), created(5), created(6)]) journal.append(e);
    const url = await serve(journal);

    const all = await read(url, 'lastEventId=0&batch=2', 6);
    expect(all.map((f) => [f.id, f.event])).toEqual([[3, CREATED_BATCH_EVENT], [4, 'job.log'], [6, CREATED_BATCH_EVENT]]);

    // a client that stopped after the first batch (Last-Event-ID 3) gets the log and the second batch, nothing twice
    const resumed = await read(url, 'lastEventId=3&batch=2', 6);
    expect(resumed.map((f) => [f.id, f.event])).toEqual([[4, 'job.log'], [6, CREATED_BATCH_EVENT]]);
    expect(resumed[1]!.data.jobs.map((j: { id: string }) => j.id)).toEqual(['job-5', 'job-6']);

    // resuming inside a run: only the rest of it
    const mid = await read(url, 'lastEventId=1&batch=2', 6);
    expect(mid.map((f) => [f.id, f.event])).toEqual([[3, CREATED_BATCH_EVENT], [4, 'job.log'], [6, CREATED_BATCH_EVENT]]);
    expect(mid[0]!.data.jobs.map((j: { id: string }) => j.id)).toEqual(['job-2', 'job-3']);

    // batch=3: the same frames, data in columns (the web UI's form), the same jobs
    const columns = await read(url, 'lastEventId=0&batch=3', 6);
    expect(columns.map((f) => [f.id, f.event])).toEqual([[3, CREATED_BATCH_EVENT], [4, 'job.log'], [6, CREATED_BATCH_EVENT]]);
    expect(columns[0]!.data).toMatchObject({ count: 3, columns: { id: { prefix: 'job-', width: 1, packed: '123' } } });
    expect(expandCreatedBatch(columns[2]!.data)).toEqual(expandCreatedBatch(all[2]!.data));
    expect(expandCreatedBatch(columns[0]!.data).map((job) => job.id)).toEqual(['job-1', 'job-2', 'job-3']);

    // batch=1: the same frames, data the bare array (the first form)
    const firstForm = await read(url, 'lastEventId=0&batch=1', 6);
    expect(firstForm.map((f) => [f.id, f.event])).toEqual([[3, CREATED_BATCH_EVENT], [4, 'job.log'], [6, CREATED_BATCH_EVENT]]);
    expect(firstForm[0]!.data).toEqual([shortJob(1), shortJob(2), shortJob(3)]);

    // batch=0 and no batch: one frame per event, as before
    for (const query of ['lastEventId=0&batch=0', 'lastEventId=0']) {
      expect((await read(url, query, 6)).map((f) => f.event)).toEqual(['job.created', 'job.created', 'job.created', 'job.log', 'job.created', 'job.created']);
    }
  });

  it('batches live flushes and keeps ids increasing across them', async () => {
    const journal = new EventJournal(100);
    const url = await serve(journal);
    const controller = new AbortController();
    const response = await fetch(`${url}/api/media/events?batch=2`, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read(); // the retry line: subscribed
    for (let n = 1; n <= 4; n++) journal.append(created(n));
    journal.append(log(5));
    const decoder = new TextDecoder();
    let text = '';
    while (!/^id: 5$/m.test(text)) text += decoder.decode((await reader.read()).value, { stream: true });
    controller.abort();
    const frames = parse(text);
    expect(frames.map((f) => [f.id, f.event])).toEqual([[4, CREATED_BATCH_EVENT], [5, 'job.log']]);
    expect(frames[0]!.data.jobs.map((j: { id: string }) => j.id)).toEqual(['job-1', 'job-2', 'job-3', 'job-4']);
  });

  it('answers 400 VALIDATION_FAILED for a batch value other than 0, 1, 2 or 3', async () => {
    const url = await serve(new EventJournal(100));
    for (const value of ['4', 'true', '', 'yes', '1&batch=1', '02', '3.0', 'constructor', '__proto__']) {
      const response = await fetch(`${url}/api/media/events?batch=${value}`);
      expect(response.status, value).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    }
  });
});

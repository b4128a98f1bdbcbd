import { describe, expect, it } from 'vitest';
import type { JobLogLine } from '../../../shared/contracts/job';
import { createFakeClient, makeJob, manualTimers } from '../testing/fake-client';
import { rowsOfFeed } from '../testing/headless-terminal';
import { createJobDetailStore, feedOf, MAX_FEED_CHARS } from './job-detail-store';
import { RECENT_LOG_MS } from './recent-log-lines';

const settle = async () => {
  for (let i = 0; i < 6; i += 1) await Promise.resolve();
};

describe('job detail store', () => {
  it('loads the log, then appends job.log events with the next line numbers', async () => {
    const job = makeJob({ status: 'running' });
    const lines: JobLogLine[] = [
      { line: 1, at: '2026-02-13T10:30:15.000Z', text: 'Starting re-encode job' },
      { line: 2, at: '2026-02-13T10:30:16.000Z', text: 'Input: inbox/original.mp4' },
    ];
    const client = createFakeClient({
      getJob: () => ({ ...job, log: '' }),
      getJobLog: () => ({ jobId: job.id, lines, dropped: 0, nextAfter: 2 }),
      getJobConsole: () => ({ jobId: job.id, running: true, lines: ['Input #0', 'frame=1'], droppedLines: 0, replay: 'Input #0\r\nframe=1\r' }),
    });
    const store = createJobDetailStore(client, { timers: manualTimers() });
    store.getState().open(job.id);
    await settle();
    expect(store.getState().log.lines).toHaveLength(2);
    store.getState().applyEvents([
      { type: 'job.log', jobId: job.id, at: '2026-02-13T10:30:20.000Z', text: 'Progress: 5%' },
      { type: 'job.log', jobId: 'other', at: '2026-02-13T10:30:20.000Z', text: 'not mine' },
    ]);
    expect(store.getState().log.lines.at(-1)).toEqual({ line: 3, at: '2026-02-13T10:30:20.000Z', text: 'Progress: 5%' });
    expect(store.getState().log.nextAfter).toBe(3);

    // running: the console loaded (the server's replay), and live text redraws its status line in a terminal
    expect(store.getState().console.feed).toMatchObject({ base: 'Input #0\r\nframe=1\r', chunks: [] });
    store.getState().applyEvents([{ type: 'job.console', jobId: job.id, text: 'frame=2\rframe=3\r' }]);
    expect(store.getState().console.feed?.chunks).toEqual(['frame=2\rframe=3\r']);
    expect(await rowsOfFeed(store.getState().console.feed!)).toEqual(['Input #0', 'frame=3']);
  });

  it('neither loses nor repeats lines that arrive while the log is loading', async () => {
    const job = makeJob({ status: 'running' });
    let answer!: () => void;
    const client = createFakeClient({
      getJob: () => ({ ...job, status: 'completed', log: '' }),
      getJobLog: () =>
        new Promise((resolve) => {
          answer = () =>
            resolve({
              jobId: job.id,
              lines: [
                { line: 1, at: 't1', text: 'a' },
                { line: 2, at: 't2', text: 'b' },
              ],
              dropped: 0,
              nextAfter: 2,
            });
        }),
    });
    const store = createJobDetailStore(client, { timers: manualTimers() });
    store.getState().open(job.id);
    // 'b' is in the answer too; 'c' came after the server read the log
    store.getState().applyEvents([
      { type: 'job.log', jobId: job.id, at: 't2', text: 'b' },
      { type: 'job.log', jobId: job.id, at: 't3', text: 'c' },
    ]);
    answer();
    await settle();
    expect(store.getState().log.lines.map((l) => `${l.line}:${l.text}`)).toEqual(['1:a', '2:b', '3:c']);
  });

  it('keeps a line that arrived just before the job was opened and that its stored log does not have yet', async () => {
    const job = makeJob({ status: 'running' });
    // the server sent 'starting' as an event at once, and stores it only at its next report flush
    let stored: JobLogLine[] = [];
    const client = createFakeClient({
      getJob: () => ({ ...job, log: '' }),
      getJobLog: () => ({ jobId: job.id, lines: stored, dropped: 0, nextAfter: stored.length }),
    });
    const timers = manualTimers();
    const store = createJobDetailStore(client, { timers });
    store.getState().applyEvents([
      { type: 'job.log', jobId: job.id, at: 't1', text: 'starting' },
      { type: 'job.log', jobId: 'other', at: 't1', text: 'not mine' },
    ]);
    timers.advance(50);
    store.getState().open(job.id);
    await settle();
    expect(store.getState().log.lines.map((l) => `${l.line}:${l.text}`)).toEqual(['1:starting']);

    // opened again once the line is stored: shown once, not twice
    stored = [{ line: 1, at: 't1', text: 'starting' }];
    store.getState().close();
    store.getState().open(job.id);
    await settle();
    expect(store.getState().log.lines.map((l) => `${l.line}:${l.text}`)).toEqual(['1:starting']);

    // a line older than the recent window is not brought back: the stored log is the truth then
    stored = [];
    store.getState().close();
    timers.advance(RECENT_LOG_MS + 1);
    store.getState().open(job.id);
    await settle();
    expect(store.getState().log.lines).toEqual([]);
  });

  it("keeps the lines of the job opened now whatever an older open's log read answers (fails, or answers late)", async () => {
    const a = makeJob({ id: 'job-a', status: 'running' });
    const b = makeJob({ id: 'job-b', status: 'running' });
    const answers: Array<{ id: string; answer: (lines: JobLogLine[] | Error) => void }> = [];
    const client = createFakeClient({
      getJob: (input) => ({ ...(input.id === a.id ? a : b), log: '' }),
      getJobLog: (input) =>
        new Promise((resolve, reject) => {
          answers.push({ id: input.id, answer: (lines) => (lines instanceof Error ? reject(lines) : resolve({ jobId: input.id, lines, dropped: 0, nextAfter: lines.length })) });
        }),
    });
    const store = createJobDetailStore(client, { timers: manualTimers() });
    const shown = () => store.getState().log.lines.map((l) => `${l.line}:${l.text}`);

    // A opened, then B before A's log answered; B's line came just before its open, another during its load
    store.getState().open(a.id);
    store.getState().applyEvents([{ type: 'job.log', jobId: b.id, at: 't1', text: 'b starting' }]);
    store.getState().open(b.id);
    store.getState().applyEvents([{ type: 'job.log', jobId: b.id, at: 't2', text: 'b working' }]);
    answers.shift()!.answer(new Error('job-a was pruned')); // A's read fails late
    await settle();
    answers.shift()!.answer([]);
    await settle();
    expect(store.getState().log.error).toBeNull();
    expect(shown()).toEqual(['1:b starting', '2:b working']);

    // B closed and opened again with both reads in flight: the older answer (without the newest line) is dropped
    store.getState().close();
    store.getState().open(b.id);
    store.getState().close();
    store.getState().open(b.id);
    store.getState().applyEvents([{ type: 'job.log', jobId: b.id, at: 't3', text: 'b newest' }]);
    const [older, newer] = [answers.shift()!, answers.shift()!];
    const storedSoFar: JobLogLine[] = [
      { line: 1, at: 't1', text: 'b starting' },
      { line: 2, at: 't2', text: 'b working' },
    ];
    older.answer(storedSoFar);
    await settle();
    newer.answer(storedSoFar);
    await settle();
    expect(shown()).toEqual(['1:b starting', '2:b working', '3:b newest']);
  });

  it('reads the job again when it changed while it was being read (a job that completes at once is not left running)', async () => {
    const job = makeJob({ status: 'running' });
    const answers: Array<() => void> = [];
    let status: 'running' | 'completed' = 'running';
    const client = createFakeClient({
      getJob: () =>
        new Promise((resolve) => {
          const snapshot = { ...job, status, log: '' }; // what the server read when asked
          answers.push(() => resolve(snapshot));
        }),
      getJobLog: () => ({ jobId: job.id, lines: [], dropped: 0, nextAfter: 0 }),
    });
    const store = createJobDetailStore(client, { timers: manualTimers() });
    store.getState().open(job.id);
    // the job completes while the first answer (read as running) is on its way
    status = 'completed';
    store.getState().applyEvents([{ type: 'job.updated', job: { ...job, status: 'completed' } }]);
    answers.shift()!();
    await settle();
    expect(answers).toHaveLength(1); // asked again
    answers.shift()!();
    await settle();
    expect(store.getState().job?.status).toBe('completed');
    expect(answers).toHaveLength(0); // and no more
  });

  it('follows status changes of the open job and drops everything on close', async () => {
    const job = makeJob({ status: 'queued', queuePosition: 3 });
    const client = createFakeClient({
      getJob: () => ({ ...job, log: '' }),
      getJobLog: () => ({ jobId: job.id, lines: [], dropped: 0, nextAfter: 0 }),
    });
    const store = createJobDetailStore(client, { timers: manualTimers() });
    store.getState().open(job.id);
    await settle();
    // events carry no position: the read's is kept while the job waits, dropped once it does not
    store.getState().applyEvents([{ type: 'job.updated', job: { ...job, waitingReason: 'needs a slot', queuePosition: null } }]);
    expect(store.getState().job).toMatchObject({ status: 'queued', waitingReason: 'needs a slot', queuePosition: 3 });
    store.getState().applyEvents([{ type: 'job.updated', job: { ...job, status: 'failed', lastError: 'boom', queuePosition: null } }]);
    expect(store.getState().job).toMatchObject({ status: 'failed', lastError: 'boom', queuePosition: null });
    store.getState().close();
    expect(store.getState().job).toBeNull();
    store.getState().applyEvents([{ type: 'job.log', jobId: job.id, at: 't', text: 'late' }]);
    expect(store.getState().log.lines).toHaveLength(0);
  });
});

describe('console feed', () => {
  it('folds a long stream into a bounded replay that a terminal shows the same way', async () => {
    const status = (n: number) => `frame=${String(n).padStart(6)} fps= 30 q=28.0 size=    1024kB time=00:00:${String(n % 60).padStart(2, '0')}.00 bitrate=1000kbits/s speed=1.0x    \r`;
    const chunks = ['Input #0, lavfi\n', ...Array.from({ length: 5000 }, (_, i) => status(i))];
    const feed = feedOf('', chunks);
    expect(feed.base.length + feed.chunks.join('').length).toBeLessThan(MAX_FEED_CHARS);
    expect(await rowsOfFeed(feed)).toEqual(['Input #0, lavfi', status(4999).trimEnd()]);
  });
});

/**
 * The refresher of segmented encodes' parent views, on a manual clock: requests coalesce into one
 * read per round; a view read while a newer update of that parent went out is read again, not sent;
 * a failed read is tried again after a pause; stop() drops what waits. And LiveEvents sends every
 * changed job's own view at once, asking only for its parent's to follow.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '../../shared/contracts/job';
import type { JobRecord } from '../core/ports';
import type { RuntimeEvent } from './events';
import { LiveEvents } from './live-events';
import { ParentViewRefresher } from './parent-view-refresher';
import { ManualClock } from './testing/manual-clock';

const view = (id: string, done: number) => ({ id, status: 'pending', chunks: { total: 4, done, running: 1, failed: 0, etaSeconds: null } }) as unknown as Job;

function setUp(read: (ids: readonly string[]) => Promise<Job[]>) {
  const clock = new ManualClock();
  const sent: Job[] = [];
  const reads: string[][] = [];
  const errors: unknown[] = [];
  const refresher = new ParentViewRefresher(
    (ids) => (reads.push([...ids]), read(ids)),
    (v) => sent.push(v),
    clock,
    (e) => errors.push(e),
  );
  refresher.start();
  return { clock, refresher, sent, reads, errors };
}

describe('ParentViewRefresher', () => {
  it('reads the parents asked for within its delay once, together, and sends their views', async () => {
    let done = 0;
    const { clock, refresher, sent, reads } = setUp(async (ids) => ids.map((id) => view(id, ++done)));
    refresher.request(['p1']);
    refresher.request(['p1', 'p2']);
    refresher.request(['p1']);
    expect(reads).toEqual([]);
    await clock.advance(100);
    expect(reads).toEqual([['p1', 'p2']]);
    expect(sent.map((v) => v.id)).toEqual(['p1', 'p2']);
    await clock.advance(1000);
    expect(reads).toHaveLength(1); // nothing asked since
  });

  it('does not send a view read while a newer update of that parent went out: it reads it again', async () => {
    let release!: () => void;
    let first = true;
    const { clock, refresher, sent, reads } = setUp(async (ids) => {
      if (first) {
        first = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return ids.map((id) => view(id, reads.length));
    });
    refresher.request(['p1', 'p2']);
    const round = clock.advance(100);
    await new Promise((resolve) => setImmediate(resolve));
    refresher.sent('p1'); // p1's own update went out during the read
    release();
    await round;
    expect(sent.map((v) => `${v.id}:${v.chunks!.done}`)).toEqual(['p2:1']);
    await clock.advance(100);
    expect(reads.at(-1)).toEqual(['p1']);
    expect(sent.map((v) => `${v.id}:${v.chunks!.done}`)).toEqual(['p2:1', 'p1:2']);
  });

  it('tries a failed read again after a second, then sends', async () => {
    let fail = true;
    const { clock, refresher, sent, reads, errors } = setUp(async (ids) => {
      if (fail) throw new Error('database gone');
      return ids.map((id) => view(id, 3));
    });
    refresher.request(['p1']);
    await clock.advance(100);
    expect(errors).toHaveLength(1);
    fail = false;
    await clock.advance(500);
    expect(reads).toHaveLength(1); // not hammered
    await clock.advance(600);
    expect(reads).toHaveLength(2);
    expect(sent.map((v) => v.id)).toEqual(['p1']);
  });

  it('stop() drops what waits, and sends nothing after', async () => {
    const { clock, refresher, sent, reads } = setUp(async (ids) => ids.map((id) => view(id, 1)));
    refresher.request(['p1']);
    await refresher.stop();
    refresher.request(['p2']);
    await clock.advance(2000);
    expect(reads).toEqual([]);
    expect(sent).toEqual([]);
  });
});

describe('LiveEvents with parent views', () => {
  const record = (id: string, type: string, parentJobId: string | null = null) =>
    ({ id, type, parentJobId, status: 'running', params: {}, priority: 5, resourceCategory: 'gpu_encode', vramRequired: 0, progress: 0, retryCount: 0, maxRetries: 0, createdAt: 1, createdBy: null, startedAt: null, completedAt: null, retryAfter: null, cancelRequestedAt: null, lastError: null, nodeId: null, waitingReason: null }) as unknown as JobRecord;

  it("sends each changed job's own view at once and its parent's after the refresher's read", async () => {
    const clock = new ManualClock();
    const events = new LiveEvents({ timers: clock, getStats: async () => ({}) as never });
    const seen: string[] = [];
    events.subscribe((e: RuntimeEvent) => {
      if (e.type === 'job.updated' || e.type === 'job.created') seen.push(`${e.job.id}${e.job.chunks ? `:${e.job.chunks.done}` : ''}`);
    });
    const refresher = new ParentViewRefresher(async (ids) => ids.map((id) => view(id, 2)), (v) => events.sendParentView(v), clock);
    refresher.start();
    events.setParentViews({ parentsOf: (jobs) => jobs.flatMap((j) => (j.parentJobId ? [j.parentJobId] : [])), refresher });
    events.publish([record('part-1', 'encode_chunk', 'parent')]);
    events.publish([record('other', 'validate')]);
    expect(seen).toEqual(['part-1', 'other']); // nothing waits behind a read
    await clock.advance(100);
    expect(seen).toEqual(['part-1', 'other', 'parent:2']);
    await refresher.stop();
  });
});

/**
 * Live job updates in order: updates that wait for a read (a segmented encode's views, EventViews)
 * hold later updates behind them, so no job's update overtakes an earlier one; new jobs and updates
 * that need no read go out at once when nothing waits; a failed read still sends plain views.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '../../shared/contracts/job';
import type { JobRecord } from '../core/ports';
import type { RuntimeEvent } from './events';
import { LiveEvents } from './live-events';
import { ManualClock } from './testing/manual-clock';

const record = (id: string, type: string): JobRecord => ({ id, type, status: 'running', params: {}, priority: 5, resourceCategory: 'cpu', vramRequired: 0, progress: 0, retryCount: 0, maxRetries: 0, createdAt: 1, createdBy: null, startedAt: null, completedAt: null, retryAfter: null, cancelRequestedAt: null, lastError: null, nodeId: null, waitingReason: null }) as unknown as JobRecord;

function setUp(read: (jobs: readonly JobRecord[]) => Promise<Job[]>) {
  const events = new LiveEvents({ timers: new ManualClock(0), getStats: async () => ({}) as never });
  const seen: string[] = [];
  events.subscribe((e: RuntimeEvent) => {
    if (e.type === 'job.updated' || e.type === 'job.created') seen.push(`${e.type === 'job.created' ? '+' : ''}${e.job.id}${(e.job as Job).chunks ? '*' : ''}`);
  });
  events.setEventViews({ concerns: (j) => j.type === 'transcode', views: read });
  return { events, seen };
}

describe('LiveEvents with views that need a read', () => {
  it('holds later updates behind one that waits for its read, and sends new jobs and plain updates at once otherwise', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { events, seen } = setUp(async (jobs) => {
      await gate;
      return jobs.map((j) => ({ id: j.id, chunks: { total: 2, done: 1, running: 1, failed: 0, etaSeconds: null } }) as unknown as Job);
    });
    events.publish([record('plain-1', 'validate')]);
    expect(seen).toEqual(['plain-1']); // nothing waits: at once
    events.publish([record('parent', 'transcode')]);
    events.publish([record('plain-1', 'validate')]); // the same plain job again: must not overtake
    events.publish([record('new', 'validate')], true); // a new job has no earlier update to wait for
    expect(seen).toEqual(['plain-1', '+new']);
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['plain-1', '+new', 'parent*', 'plain-1']);
    events.publish([record('plain-2', 'validate')]);
    expect(seen.at(-1)).toBe('plain-2'); // the queue is empty again: at once
  });

  it('sends plain views when the read fails, and keeps sending after it', async () => {
    const { events, seen } = setUp(async () => {
      throw new Error('database gone');
    });
    events.publish([record('parent', 'transcode')]);
    events.publish([record('after', 'validate')]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['parent', 'after']);
  });
});

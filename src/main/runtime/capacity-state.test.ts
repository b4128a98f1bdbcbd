/**
 * The queue flags a node holds: reads overlap (the fleet's poll and a 'flags' wake-up, each on its
 * own pooled connection) and may answer out of order. A stale answer must never undo a pause: a
 * paused queue that a late read reported as running once let a node start a job (the fleet test
 * "pauses and resumes the queue for every node" timed out on it in CI, twice). A store whose
 * answers the test releases in any order stands in for the database.
 */
import { describe, expect, it } from 'vitest';
import type { JobStore, QueueFlagChange, QueueFlags } from '../core/ports';
import { changedFlags } from '../core/queue-flags';
import { CapacityState, noGpu } from './capacity-state';

const running: QueueFlags = { queuePaused: false, pausedCategories: [] };
const paused: QueueFlags = { queuePaused: true, pausedCategories: [] };

/** `stored`: the flags in the database, which changes apply to (as the stores do, in one step). */
function stateWithHeldReads(stored: { flags: QueueFlags } = { flags: running }) {
  const answers: ((flags: QueueFlags) => void)[] = [];
  const store = {
    getQueueFlags: () => new Promise<QueueFlags>((resolve) => answers.push(resolve)),
    changeQueueFlags: async (change) => (stored.flags = changedFlags(stored.flags, change)),
  } satisfies Pick<JobStore, 'getQueueFlags' | 'changeQueueFlags'> as unknown as JobStore;
  return { state: new CapacityState(store, { cpu: 1, gpu_encode: 1, gpu_ai: 1 }, null, 0, noGpu), answers };
}

describe('the queue flags a node holds', () => {
  it('keeps the answer of the read issued last, whatever order the answers come in', async () => {
    const { state, answers } = stateWithHeldReads();
    const older = state.load(); // a poll, issued before the pause
    const newer = state.load(); // the wake-up after it
    answers[1]!(paused);
    await newer;
    answers[0]!(running);
    await older;
    expect(state.queueFlags).toEqual(paused);
  });

  it("applies answers in order when they come in order", async () => {
    const { state, answers } = stateWithHeldReads();
    const older = state.load();
    const newer = state.load();
    answers[0]!(running);
    await older;
    expect(state.queueFlags).toEqual(running);
    answers[1]!(paused);
    await newer;
    expect(state.queueFlags).toEqual(paused);
  });

  it("keeps this node's own pause over a read issued before it", async () => {
    const { state, answers } = stateWithHeldReads();
    const stale = state.load();
    await state.setPaused(true);
    answers[0]!(running);
    await stale;
    expect(state.queueFlags.queuePaused).toBe(true);
  });

  it("keeps another node's pause that this node had not read yet when it pauses a category (the change is applied to the stored flags)", async () => {
    const stored = { flags: running };
    const { state } = stateWithHeldReads(stored);
    stored.flags = { queuePaused: true, pausedCategories: ['gpu_ai'] }; // node B paused the queue and gpu_ai; this node has not polled since
    await state.setPaused(true, 'cpu');
    expect(stored.flags).toEqual({ queuePaused: true, pausedCategories: ['gpu_ai', 'cpu'] });
    expect(state.queueFlags).toEqual({ queuePaused: true, pausedCategories: ['gpu_ai', 'cpu'] });
    await state.setPaused(false, 'gpu_ai');
    expect(state.queueFlags).toEqual({ queuePaused: true, pausedCategories: ['cpu'] });
  });

  it("makes this node's own changes one after the other, so the last answer holds them all", async () => {
    const stored = { flags: running };
    const held: (() => void)[] = [];
    const issued: string[] = [];
    const store = {
      getQueueFlags: async () => stored.flags,
      changeQueueFlags: async (change: QueueFlagChange) => {
        issued.push(change.category ?? 'queue');
        const answer = changedFlags(stored.flags, change);
        stored.flags = answer;
        await new Promise<void>((resolve) => held.push(resolve));
        return answer;
      },
    } as unknown as JobStore;
    const state = new CapacityState(store, { cpu: 1, gpu_encode: 1, gpu_ai: 1 }, null, 0, noGpu);
    const first = state.setPaused(true, 'cpu');
    const second = state.setPaused(true, 'gpu_ai');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(issued).toEqual(['cpu']); // the second waits for the first's answer
    held[0]!();
    await first;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(issued).toEqual(['cpu', 'gpu_ai']);
    held[1]!();
    await second;
    expect(state.queueFlags).toEqual({ queuePaused: false, pausedCategories: ['cpu', 'gpu_ai'] });
  });

  it('goes on with the next change after one the store refused', async () => {
    let fail = true;
    const store = {
      getQueueFlags: async () => running,
      changeQueueFlags: async (change: QueueFlagChange) => {
        if (fail) {
          fail = false;
          throw new Error('connection lost');
        }
        return changedFlags(running, change);
      },
    } as unknown as JobStore;
    const state = new CapacityState(store, { cpu: 1, gpu_encode: 1, gpu_ai: 1 }, null, 0, noGpu);
    await expect(state.setPaused(true)).rejects.toThrow('connection lost');
    await state.setPaused(true);
    expect(state.queueFlags.queuePaused).toBe(true);
  });
});

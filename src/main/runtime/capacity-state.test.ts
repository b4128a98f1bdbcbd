/**
 * The queue flags a node holds: reads overlap (the fleet's poll and a 'flags' wake-up, each on its
 * own pooled connection) and may answer out of order. A stale answer must never undo a pause: a
 * paused queue that a late read reported as running once let a node start a job (the fleet test
 * "pauses and resumes the queue for every node" timed out on it in CI, twice). A store whose
 * answers the test releases in any order stands in for the database.
 */
import { describe, expect, it } from 'vitest';
import type { JobStore, QueueFlags } from '../core/ports';
import { CapacityState, noGpu } from './capacity-state';

const running: QueueFlags = { queuePaused: false, pausedCategories: [] };
const paused: QueueFlags = { queuePaused: true, pausedCategories: [] };

function stateWithHeldReads() {
  const answers: ((flags: QueueFlags) => void)[] = [];
  const store = {
    getQueueFlags: () => new Promise<QueueFlags>((resolve) => answers.push(resolve)),
    setQueueFlags: async () => {},
  } as unknown as JobStore;
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
});

/** The queue flags: one change applied to the stored flags, and a claim's capacity met with the flags it read. */
import { describe, expect, it } from 'vitest';
import type { NodeCapacity } from './capacity';
import type { QueueFlags } from './ports';
import { changedFlags, withStoredFlags } from './queue-flags';

const capacity = (queuePaused: boolean, pausedCategories: NodeCapacity['pausedCategories'] = []): NodeCapacity => ({ limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 }, vramBudgetMb: null, queuePaused, pausedCategories });
const flags = (queuePaused: boolean, pausedCategories: QueueFlags['pausedCategories'] = []): QueueFlags => ({ queuePaused, pausedCategories });

describe('changedFlags', () => {
  it.each<[QueueFlags, Parameters<typeof changedFlags>[1], QueueFlags]>([
    [flags(false), { paused: true }, flags(true)],
    [flags(true, ['cpu']), { paused: false }, flags(false, ['cpu'])],
    [flags(false, ['cpu']), { paused: true, category: 'gpu_ai' }, flags(false, ['cpu', 'gpu_ai'])],
    [flags(false, ['cpu']), { paused: true, category: 'cpu' }, flags(false, ['cpu'])],
    [flags(true, ['cpu', 'gpu_ai']), { paused: false, category: 'cpu' }, flags(true, ['gpu_ai'])],
    [flags(false), { paused: false, category: 'gpu_encode' }, flags(false)],
  ])('%j with %j → %j', (before, change, after) => {
    expect(changedFlags(before, change)).toEqual(after);
  });
});

describe('withStoredFlags: paused where the copy or the stored flags say so', () => {
  it.each<[NodeCapacity, QueueFlags | undefined, boolean, string[]]>([
    [capacity(false), undefined, false, []],
    [capacity(false), flags(false), false, []],
    [capacity(false), flags(true), true, []], // another node's pause, not yet in this node's copy
    [capacity(true), flags(false), true, []], // a resume the copy has not seen: waits for the next read
    [capacity(false, ['cpu']), flags(false, ['gpu_ai']), false, ['cpu', 'gpu_ai']],
    [capacity(false, ['cpu']), flags(true, ['cpu']), true, ['cpu']],
  ])('copy %j, stored %j → paused %s, categories %j', (copy, stored, paused, categories) => {
    const merged = withStoredFlags(copy, stored);
    expect(merged.queuePaused).toBe(paused);
    expect([...merged.pausedCategories]).toEqual(categories);
    expect(merged.limits).toBe(copy.limits);
  });
});

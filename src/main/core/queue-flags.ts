/** The queue's pause flags: one change applied to them, and a node's copy met with the stored ones. */
import type { NodeCapacity } from './capacity';
import type { QueueFlagChange, QueueFlags } from './ports';

/** The queue's pause flags after one pause or resume (a store applies it to the flags stored at that moment). */
export function changedFlags(flags: QueueFlags, change: QueueFlagChange): QueueFlags {
  if (!change.category) return { queuePaused: change.paused, pausedCategories: flags.pausedCategories };
  const others = flags.pausedCategories.filter((c) => c !== change.category);
  return { queuePaused: flags.queuePaused, pausedCategories: change.paused ? [...others, change.category] : others };
}

/**
 * The capacity a claim decides with: paused where the node's copy or the flags the claim read say
 * so (a stale copy never starts a job a pause already holds; a resume the copy has not seen yet
 * waits for the node's next read, as before).
 */
export function withStoredFlags(capacity: NodeCapacity, stored: QueueFlags | undefined): NodeCapacity {
  if (!stored) return capacity;
  const missing = stored.pausedCategories.filter((c) => !capacity.pausedCategories.includes(c));
  if ((!stored.queuePaused || capacity.queuePaused) && missing.length === 0) return capacity;
  return { ...capacity, queuePaused: capacity.queuePaused || stored.queuePaused, pausedCategories: [...capacity.pausedCategories, ...missing] };
}

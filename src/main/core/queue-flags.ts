/** The queue's pause flags after one pause or resume (a store applies it to the flags stored at that moment). */
import type { QueueFlagChange, QueueFlags } from './ports';

export function changedFlags(flags: QueueFlags, change: QueueFlagChange): QueueFlags {
  if (!change.category) return { queuePaused: change.paused, pausedCategories: flags.pausedCategories };
  const others = flags.pausedCategories.filter((c) => c !== change.category);
  return { queuePaused: flags.queuePaused, pausedCategories: change.paused ? [...others, change.category] : others };
}

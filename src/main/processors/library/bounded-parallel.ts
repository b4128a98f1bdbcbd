/** Runs `work` over items with at most `limit` in flight; stops starting new ones once aborted. */
export async function forEachBounded<T>(items: readonly T[], limit: number, signal: AbortSignal, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      signal.throwIfAborted();
      const index = next++;
      await work(items[index]!, index);
    }
  });
  await Promise.all(lanes);
}

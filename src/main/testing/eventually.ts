/**
 * Waits until `probe` gives a value (neither undefined nor false) and returns it. A probe that
 * throws counts as "not yet": fleet tests poll servers and databases that may be restarting.
 */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

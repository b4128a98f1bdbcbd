/**
 * Reads of one stored thing that overlap (a fleet's poll and a wake-up, each on its own pooled
 * connection) and may answer out of order: an answer is applied only when no read issued after it,
 * nor a local write, was applied first, so an older answer never undoes a newer one. Shared by the
 * queue flags (CapacityState) and the settings rows (SettingsRowGuard).
 */
export class ReadOrder {
  private issued = 0;
  private appliedFrom = 0;

  /** Numbers a read as it is issued. */
  issue(): number {
    return ++this.issued;
  }

  /** Whether the answer of read `n` is still the newest; if so it is taken as the one applied. */
  take(n: number): boolean {
    if (n <= this.appliedFrom) return false;
    this.appliedFrom = n;
    return true;
  }

  /** A local write applied now: newer than every read still in flight. */
  supersede(): void {
    this.appliedFrom = ++this.issued;
  }
}

/**
 * Runs a task per key, one at a time per key, coalescing: a request while the key's task runs
 * makes it run once more afterwards (not once per request), so a burst of job transitions of one
 * pipeline run costs at most two advances, and two advances of one run never overlap in this
 * process (other nodes may still advance it: the store's conditional writes make that safe).
 */
export class KeyedRunner {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    private readonly task: (key: string) => Promise<unknown>,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  /** Runs the task for `key` (now, or once more after the one in progress); resolves when that run has ended. */
  request(key: string): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      this.again.add(key);
      return current;
    }
    const run = (async () => {
      do {
        this.again.delete(key);
        try {
          await this.task(key);
        } catch (error) {
          this.onError(key, error);
        }
      } while (this.again.has(key));
    })().finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }

  /** Resolves once no task runs. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }
}

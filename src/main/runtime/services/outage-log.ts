/**
 * Logs a fleet duty's failures once per outage, not once per beat: the first failure, then nothing
 * until the duty succeeds again, which is logged as the recovery.
 */
export class OutageLog {
  private readonly failing = new Set<string>();

  constructor(private readonly logger: Pick<Console, 'info' | 'error'>) {}

  /** Runs `fn` under the name `what`, never throwing; says whether it succeeded. */
  async guard(what: string, fn: () => Promise<void>): Promise<boolean> {
    try {
      await fn();
      if (this.failing.delete(what)) this.logger.info(`Fleet ${what}: the database answers again.`);
      return true;
    } catch (error) {
      if (!this.failing.has(what)) {
        this.failing.add(what);
        this.logger.error(`Fleet ${what} failed (retrying every interval; further failures are not logged until it recovers): ${describeError(error)}`);
      }
      return false;
    }
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

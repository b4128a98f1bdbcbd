/**
 * The runtime's long-lived duties as services (River's model): each one starts and stops on its
 * own, and the composition root only lists them in order. A ServiceGroup starts them in that order
 * and stops them in reverse, awaiting each, so a service can rely on the ones before it (the
 * dispatcher on the node being registered; the relay on the dispatcher having written its last
 * changes before it flushes).
 */

export interface RuntimeService {
  /** For logs and errors: which service failed. */
  readonly name: string;
  start(): void | Promise<void>;
  /** Ends the service's work (its timers, and a run in progress); resolves once nothing of it runs. */
  stop(): Promise<void>;
}

/** A service from two functions (an adapter around a class with its own start/stop, a one-shot step). */
export function defineService(name: string, start: () => void | Promise<void>, stop: () => void | Promise<void> = () => {}): RuntimeService {
  return {
    name,
    start,
    async stop() {
      await stop();
    },
  };
}

/** Thrown by a group whose services failed to stop; `failed` names them. */
export class ServiceError extends Error {
  constructor(readonly failed: readonly { readonly name: string; readonly error: unknown }[]) {
    super(`Runtime service(s) failed to stop: ${failed.map((f) => `${f.name} (${describe(f.error)})`).join('; ')}`);
    this.name = 'ServiceError';
  }
}

/** Told of each service that fails to start or stop (the runtime logs it). */
export type ServiceFailureReport = (phase: 'start' | 'stop', name: string, error: unknown) => void;

export class ServiceGroup {
  /** The services started so far, in start order (what stop() must stop). */
  private started: RuntimeService[] = [];

  constructor(
    private readonly services: readonly RuntimeService[],
    private readonly report: ServiceFailureReport = () => {},
  ) {}

  get names(): string[] {
    return this.services.map((s) => s.name);
  }

  /**
   * Starts the services in order. When one fails it is reported, the ones already started are
   * stopped (in reverse), and its own error is rethrown unchanged: callers rely on its code and
   * message (a node id in use is said to the user as the store said it).
   */
  async start(): Promise<void> {
    for (const service of this.services) {
      try {
        await service.start();
        this.started.push(service);
      } catch (error) {
        this.report('start', service.name, error);
        await this.stopStarted();
        throw error;
      }
    }
  }

  /**
   * Stops the started services in reverse order, each after the one before has stopped. Every one
   * is stopped even when some fail; then a ServiceError names those that failed.
   */
  async stop(): Promise<void> {
    const failed = await this.stopStarted();
    if (failed.length > 0) throw new ServiceError(failed);
  }

  private async stopStarted(): Promise<{ name: string; error: unknown }[]> {
    const failed: { name: string; error: unknown }[] = [];
    while (this.started.length > 0) {
      const service = this.started.pop()!;
      try {
        await service.stop();
      } catch (error) {
        this.report('stop', service.name, error);
        failed.push({ name: service.name, error });
      }
    }
    return failed;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Quitting waits for the runtime: the first `before-quit` is held back until `shutdown` has
 * stopped the queue and closed the database (or `timeoutMs` passed), then the app quits for
 * real. SIGINT/SIGTERM (a terminal's Ctrl+C, a session logout) take the same path.
 */
import type { App } from 'electron';

export interface GracefulQuitOptions {
  readonly shutdown: () => Promise<void>;
  readonly timeoutMs?: number;
  readonly logger?: Pick<Console, 'error' | 'warn'>;
}

type QuitApp = Pick<App, 'on' | 'quit'>;

export function installGracefulQuit(app: QuitApp, options: GracefulQuitOptions): void {
  const logger = options.logger ?? console;
  const timeoutMs = options.timeoutMs ?? 15_000;
  let state: 'running' | 'stopping' | 'stopped' = 'running';

  app.on('before-quit', (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        logger.warn(`Shutdown took longer than ${timeoutMs} ms; quitting anyway.`);
        resolve();
      }, timeoutMs);
    });
    Promise.race([options.shutdown(), timeout])
      .catch((error: unknown) => logger.error('Shutdown failed:', error))
      .finally(() => {
        clearTimeout(timer);
        state = 'stopped';
        app.quit();
      });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => app.quit());
  }
}

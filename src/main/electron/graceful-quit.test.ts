import { describe, expect, it, vi } from 'vitest';
import { FakeEmitter, fakeEvent } from './testing/fake-electron';
import { installGracefulQuit } from './graceful-quit';

class QuitApp extends FakeEmitter {
  quitted = 0;
  quit() {
    const event = fakeEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitted += 1;
  }
}

describe('graceful quit', () => {
  it('holds the quit until the runtime has stopped, then quits once', async () => {
    const app = new QuitApp();
    let finish: () => void = () => {};
    const shutdown = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    installGracefulQuit(app as never, { shutdown });
    app.quit();
    app.quit(); // a second request while stopping waits for the same shutdown
    expect(shutdown).toHaveBeenCalledOnce();
    expect(app.quitted).toBe(0);
    finish();
    await vi.waitFor(() => expect(app.quitted).toBe(1));
  });

  it('quits even when the shutdown fails or hangs', async () => {
    const logger = { error: vi.fn(), warn: vi.fn() };
    const failing = new QuitApp();
    installGracefulQuit(failing as never, { shutdown: () => Promise.reject(new Error('disk gone')), logger });
    failing.quit();
    await vi.waitFor(() => expect(failing.quitted).toBe(1));
    expect(logger.error).toHaveBeenCalled();

    const hanging = new QuitApp();
    installGracefulQuit(hanging as never, { shutdown: () => new Promise<void>(() => {}), timeoutMs: 20, logger });
    hanging.quit();
    await vi.waitFor(() => expect(hanging.quitted).toBe(1));
    expect(logger.warn).toHaveBeenCalled();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OPERATION_NAMES } from '../../shared/contracts/operations';
import { startDesktopApp } from './app-lifecycle';
import { FakeBrowserWindow, FakeTray, FakeWebContents, fakeApp, fakeEvent, fakeIpcMain, fakeProtocol, fakeSession, resetFakeElectron } from './testing/fake-electron';

vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectron);

const paths = { preloadPath: '/app/out/preload/index.cjs', rendererDir: '/app/out/renderer', resourcesDir: '/app/resources' };

describe('desktop app lifecycle', () => {
  let dir: string;
  beforeEach(() => {
    resetFakeElectron();
    dir = mkdtempSync(join(tmpdir(), 'desktop-app-'));
    vi.stubEnv('MEDIA_DATA_DIR', dir);
    vi.stubEnv('MEDIA_LIBRARY_PATH', join(dir, 'library'));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('quits at once when another instance holds the lock', () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    fakeApp.hasLock = false;
    startDesktopApp(paths);
    expect(fakeApp.quitCount).toBe(1);
    expect(fakeApp.listenerCount('second-instance')).toBe(0);
  });

  it('starts the runtime, bridge, window and tray, and stops them before quitting', async () => {
    startDesktopApp(paths);
    expect(fakeApp.sandboxEnabled).toBe(true);
    // the app:// scheme is declared privileged before ready, and handled only once ready
    expect(fakeProtocol.privilegedCalls).toEqual([{ appReady: false }]);
    expect(fakeProtocol.privilegedSchemes.map((s) => s.scheme)).toEqual(['app']);
    expect(fakeProtocol.handlers.size).toBe(0);
    fakeApp.becomeReady();
    // start-up probes ffmpeg and its hardware encoders: seconds on a busy machine
    await vi.waitFor(() => expect(FakeTray.instances).toHaveLength(1), { timeout: 20_000, interval: 20 });

    expect(fakeSession.permissionRequestHandler).not.toBeNull();
    expect(fakeIpcMain.handlers.size).toBe(OPERATION_NAMES.length);
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(FakeBrowserWindow.instances[0]!.loaded).toEqual({ url: 'app://renderer/index.html' });
    expect([...fakeProtocol.handlers.keys()]).toEqual(['app']);
    // the IPC bridge trusts that page
    const getStats = fakeIpcMain.handlers.get('op:getStats') as (event: unknown, input: unknown) => Promise<{ ok: boolean }>;
    expect((await getStats({ senderFrame: { url: 'app://renderer/index.html', parent: null } }, {})).ok).toBe(true);

    // any web contents created later is hardened too
    const contents = new FakeWebContents();
    fakeApp.emit('web-contents-created', fakeEvent(), contents);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });

    // a second launch focuses the existing window instead of opening another
    fakeApp.emit('second-instance');
    expect(FakeBrowserWindow.instances).toHaveLength(1);

    // closing the window keeps the app in the tray
    FakeBrowserWindow.instances[0]!.close();
    fakeApp.emit('window-all-closed');
    expect(fakeApp.quitCount).toBe(0);

    fakeApp.quit();
    await vi.waitFor(() => expect(fakeApp.quitCount).toBe(2), { timeout: 20_000, interval: 20 });
    expect(FakeTray.instances[0]!.destroyed).toBe(true);
    expect(fakeIpcMain.handlers.size).toBe(0);
  });
});

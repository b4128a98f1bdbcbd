import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, fakeEvent, resetFakeElectron } from './testing/fake-electron';
import { MainWindowHolder, createMainWindow } from './window';

vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectron);

const options = { preloadPath: '/app/out/preload/index.cjs' };

describe('main window', () => {
  beforeEach(() => resetFakeElectron());

  it('uses the secure web preferences and our preload', () => {
    createMainWindow(options);
    const prefs = FakeBrowserWindow.instances[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('loads the built page through app://, never file://, or the dev server when given', () => {
    createMainWindow(options);
    createMainWindow({ ...options, devServerUrl: 'http://localhost:5173' });
    createMainWindow({ ...options, devServerUrl: '' });
    expect(FakeBrowserWindow.instances[0]!.loaded).toEqual({ url: 'app://renderer/index.html' });
    expect(FakeBrowserWindow.instances[1]!.loaded).toEqual({ url: 'http://localhost:5173' });
    expect(FakeBrowserWindow.instances[2]!.loaded).toEqual({ url: 'app://renderer/index.html' });
  });

  it('denies navigation, redirects and new windows in its contents', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const window = createMainWindow(options) as unknown as FakeBrowserWindow;
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const navigation = fakeEvent({ url: 'https://evil.example/', isMainFrame: true });
      window.webContents.emit(name, navigation, 'https://evil.example/');
      expect(navigation.defaultPrevented).toBe(true);
    }
    expect(window.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const webview = fakeEvent();
    window.webContents.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);
    warn.mockRestore();
  });

  it('shows the window once its page is ready', () => {
    const window = createMainWindow(options) as unknown as FakeBrowserWindow;
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('keeps a single window and opens a new one after it closed', () => {
    const holder = new MainWindowHolder(options);
    const first = holder.show();
    expect(holder.show()).toBe(first);
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    (first as unknown as FakeBrowserWindow).close();
    expect(holder.current).toBeNull();
    holder.show();
    expect(FakeBrowserWindow.instances).toHaveLength(2);
  });
});

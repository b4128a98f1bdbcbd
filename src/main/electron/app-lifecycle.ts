/**
 * The desktop app's life: one instance (a second launch focuses the first), the app:// scheme
 * that serves the built renderer (registered before ready, handled after), hardened session
 * and web contents, the embedded runtime, the IPC bridge, the main window and the tray; the
 * app keeps running in the tray when its window closes, and quits through the graceful path.
 */
import { app, session } from 'electron';
import { join } from 'node:path';
import { installIpcBridge } from '../ipc';
import { openDesktopRuntime, type DesktopRuntime } from './desktop-runtime';
import { handleAppProtocol, registerAppScheme } from './app-protocol-handler';
import { installGracefulQuit } from './graceful-quit';
import { hardenSession, hardenWebContents } from './security';
import { attachDesktopNotifications } from './desktop-notifications';
import { createStatusTray, type StatusTray } from './tray';
import { MainWindowHolder } from './window';

export interface AppPaths {
  readonly preloadPath: string;
  /** The built renderer (out/renderer), served as app://renderer/. */
  readonly rendererDir: string;
  readonly resourcesDir: string;
  /** Set by `electron-vite dev` (ELECTRON_RENDERER_URL). */
  readonly devServerUrl?: string | undefined;
}

export function startDesktopApp(paths: AppPaths): void {
  app.enableSandbox();
  // Privileged schemes must be declared before the app is ready.
  registerAppScheme();
  if (!app.requestSingleInstanceLock()) {
    console.info('Media Job Control is already running; focusing its window.');
    app.quit();
    return;
  }

  const windows = new MainWindowHolder({
    preloadPath: paths.preloadPath,
    devServerUrl: paths.devServerUrl,
    iconPath: join(paths.resourcesDir, 'icon.png'),
  });
  let desktop: DesktopRuntime | null = null;
  let tray: StatusTray | null = null;
  let removeIpc: (() => void) | null = null;
  let removeNotifications: (() => void) | null = null;
  // the tray's failure badge lasts until the user looks at the window
  const showWindow = () => {
    tray?.acknowledge();
    windows.show();
  };

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', () => {
    if (app.isReady()) showWindow();
  });
  // Closing the window leaves the queue running in the tray; without a tray, closing quits.
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });
  app.on('activate', () => showWindow());

  installGracefulQuit(app, {
    async shutdown() {
      removeNotifications?.();
      removeNotifications = null;
      tray?.destroy();
      tray = null;
      removeIpc?.();
      removeIpc = null;
      await desktop?.close();
    },
  });

  app
    .whenReady()
    .then(async () => {
      hardenSession(session.defaultSession, { dev: Boolean(paths.devServerUrl) });
      // Under the dev server nothing loads from app://, so the scheme answers nothing there.
      if (!paths.devServerUrl) handleAppProtocol(paths.rendererDir);
      desktop = await openDesktopRuntime();
      const { runtime } = desktop;
      removeIpc = installIpcBridge({
        runtime,
        trusted: { devServerUrl: paths.devServerUrl },
        getEventTarget: () => windows.current?.webContents ?? null,
      });
      await runtime.start();
      windows.show();
      try {
        tray = createStatusTray({
          runtime,
          resourcesDir: paths.resourcesDir,
          onOpenWindow: () => windows.show(),
          onQuit: () => app.quit(),
        });
      } catch (error) {
        console.warn('No system tray on this desktop; closing the window will quit.', error);
      }
      removeNotifications = attachDesktopNotifications({ runtime, onOpenWindow: showWindow, onFailure: (n) => tray?.failureNotified(n) });
    })
    .catch((error: unknown) => {
      console.error('Media Job Control failed to start:', error);
      app.exit(1);
    });
}

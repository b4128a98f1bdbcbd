/**
 * The main window: secure preferences, hardened contents, and our renderer page (the dev server
 * under `electron-vite dev`, otherwise the built page through the app:// scheme, never file://).
 * Shown once the first paint is ready.
 */
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './app-protocol';
import { hardenWebContents, secureWebPreferences } from './security';

export interface WindowOptions {
  readonly preloadPath: string;
  readonly devServerUrl?: string | undefined;
  readonly iconPath?: string | undefined;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Media Job Control',
    autoHideMenuBar: true,
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  hardenWebContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  window.loadURL(options.devServerUrl || APP_ENTRY_URL).catch((error: unknown) => console.error('The window failed to load its page:', error));
  return window;
}

/** Keeps at most one main window: shows the existing one or opens a new one. */
export class MainWindowHolder {
  private window: BrowserWindow | null = null;

  constructor(private readonly options: WindowOptions) {}

  get current(): BrowserWindow | null {
    return this.window && !this.window.isDestroyed() ? this.window : null;
  }

  show(): BrowserWindow {
    const existing = this.current;
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return existing;
    }
    const window = createMainWindow(this.options);
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    this.window = window;
    return window;
  }
}

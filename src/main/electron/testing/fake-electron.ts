/**
 * A fake `electron` module for unit tests of the Electron shell, the IPC bridge and the preload
 * (the real binary cannot run here). Use it with
 *   vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectron);
 * and call resetFakeElectron() before each test. It records what the code under test asked of
 * Electron and lets the test fire events.
 */
type Listener = (...args: never[]) => unknown;

export class FakeEmitter {
  private readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapper = ((...args: never[]) => {
      this.removeListener(event, wrapper);
      return listener(...args);
    }) as Listener;
    return this.on(event, wrapper);
  }

  removeListener(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => unknown)(...args);
  }

  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

/** An Electron event; `params` are the details Electron puts on it (e.g. `{ url, isMainFrame }`). */
export function fakeEvent<P extends object = object>(params?: P): FakeEvent & P {
  return {
    ...(params as P),
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export class FakeWebContents extends FakeEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loaded: { file?: string; url?: string } = {};
  visible = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadFile(file: string): Promise<void> {
    this.loaded = { file };
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loaded = { url };
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

type Handler = (...args: never[]) => unknown;

export const fakeIpcMain = {
  handlers: new Map<string, Handler>(),
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
};

export const fakeSession = {
  permissionRequestHandler: null as Handler | null,
  permissionCheckHandler: null as Handler | null,
  headersListener: null as Handler | null,
  setPermissionRequestHandler(handler: Handler) {
    this.permissionRequestHandler = handler;
  },
  setPermissionCheckHandler(handler: Handler) {
    this.permissionCheckHandler = handler;
  },
  webRequest: {
    onHeadersReceived(listener: Handler) {
      fakeSession.headersListener = listener;
    },
  },
};

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

export const fakeProtocol = {
  privilegedSchemes: [] as Array<{ scheme: string; privileges?: Record<string, unknown> }>,
  /** How often registerSchemesAsPrivileged ran, and whether the app was ready at the time. */
  privilegedCalls: [] as Array<{ appReady: boolean }>,
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges?: Record<string, unknown> }>): void {
    // Like Electron, each call replaces the previous list; Electron only honours it before ready.
    fakeProtocol.privilegedCalls.push({ appReady: fakeApp.isReady() });
    fakeProtocol.privilegedSchemes = [...schemes];
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    if (fakeProtocol.handlers.has(scheme)) throw new Error(`The scheme '${scheme}' is already handled`);
    fakeProtocol.handlers.set(scheme, handler);
  },
  unhandle(scheme: string): void {
    fakeProtocol.handlers.delete(scheme);
  },
  isProtocolHandled(scheme: string): boolean {
    return fakeProtocol.handlers.has(scheme);
  },
};

export class FakeTray extends FakeEmitter {
  static instances: FakeTray[] = [];
  tooltip = '';
  menu: { template: Array<Record<string, unknown>> } | null = null;
  destroyed = false;
  constructor(public image: unknown) {
    super();
    FakeTray.instances.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setImage(image: unknown): void {
    this.image = image;
  }
  setContextMenu(menu: { template: Array<Record<string, unknown>> }): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** Electron's Notification: records what was shown; a test fires 'click' on an instance. */
export class FakeNotification extends FakeEmitter {
  static instances: FakeNotification[] = [];
  static supported = true;
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  shown = false;
  constructor(readonly options: { title: string; body: string; urgency?: string }) {
    super();
    FakeNotification.instances.push(this);
  }
  show(): void {
    this.shown = true;
  }
}

class FakeApp extends FakeEmitter {
  hasLock = true;
  sandboxEnabled = false;
  quitCount = 0;
  exitCode: number | null = null;
  private ready = false;
  private resolveReady: () => void = () => {};
  private readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve));
  reset(): void {
    this.removeAllListeners();
    this.hasLock = true;
    this.sandboxEnabled = false;
    this.quitCount = 0;
    this.exitCode = null;
    this.ready = false;
    this.readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve));
  }
  requestSingleInstanceLock(): boolean {
    return this.hasLock;
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.ready;
  }
  /** Test helper: Electron finished starting. */
  becomeReady(): void {
    this.ready = true;
    this.resolveReady();
  }
  /** Like Electron: `before-quit` first; the app only quits when no listener prevented it. */
  quit(): void {
    this.quitCount += 1;
    const event = fakeEvent();
    this.emit('before-quit', event);
  }
  exit(code: number): void {
    this.exitCode = code;
  }
}

export const fakeApp = new FakeApp();

export const fakeContextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, value: unknown) {
    this.exposed.set(key, value);
  },
};

export const fakeIpcRenderer = Object.assign(new FakeEmitter(), {
  invocations: [] as Array<{ channel: string; args: unknown[] }>,
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    fakeIpcRenderer.invocations.push({ channel, args });
    return Promise.resolve({ ok: true, value: { channel } });
  },
});

export function resetFakeElectron(): void {
  FakeBrowserWindow.instances = [];
  FakeTray.instances = [];
  FakeNotification.instances = [];
  FakeNotification.supported = true;
  fakeIpcMain.handlers.clear();
  fakeSession.permissionRequestHandler = null;
  fakeSession.permissionCheckHandler = null;
  fakeSession.headersListener = null;
  fakeProtocol.privilegedSchemes = [];
  fakeProtocol.privilegedCalls = [];
  fakeProtocol.handlers.clear();
  fakeApp.reset();
  fakeContextBridge.exposed.clear();
  fakeIpcRenderer.invocations.length = 0;
  fakeIpcRenderer.removeAllListeners();
}

export const fakeElectron = {
  app: fakeApp,
  BrowserWindow: FakeBrowserWindow,
  ipcMain: fakeIpcMain,
  ipcRenderer: fakeIpcRenderer,
  contextBridge: fakeContextBridge,
  session: { defaultSession: fakeSession },
  protocol: fakeProtocol,
  Tray: FakeTray,
  Notification: FakeNotification,
  Menu: { buildFromTemplate: (template: Array<Record<string, unknown>>) => ({ template }) },
  nativeImage: { createFromPath: (path: string) => ({ path }) },
};

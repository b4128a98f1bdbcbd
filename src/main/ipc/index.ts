/** The Electron IPC bridge: operation handlers plus live event forwarding for one window. */
import { ipcMain } from 'electron';
import type { Runtime } from '../runtime/create-runtime';
import { forwardEvents, type EventTarget } from './event-forwarder';
import { registerOperationHandlers } from './operation-bridge';
import type { TrustedRenderer } from './sender-check';

export interface IpcBridgeOptions {
  readonly runtime: Runtime;
  readonly trusted: TrustedRenderer;
  /** The current window's webContents (null while no window is open). */
  readonly getEventTarget: () => EventTarget | null;
}

export function installIpcBridge(options: IpcBridgeOptions): () => void {
  const removeHandlers = registerOperationHandlers({ ipcMain, runtime: options.runtime, trusted: options.trusted });
  const stopForwarding = forwardEvents(options.runtime, options.getEventTarget);
  return () => {
    stopForwarding();
    removeHandlers();
  };
}

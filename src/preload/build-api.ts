/**
 * Builds `window.mediaApi` from the operation names: one function per operation, each invoking
 * its own channel (`op:<name>`); there is no generic invoke. Events arrive in batches; the
 * Electron event object is never handed to the page.
 */
import type { IpcRenderer } from 'electron';
import {
  IPC_EVENTS_CHANNEL,
  operationChannel,
  type MediaApi,
  type MediaEvent,
  type MediaEventListener,
} from '../shared/contracts/desktop-api';
import type { OperationName } from '../shared/contracts/operations';

export function buildMediaApi(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>, names: readonly OperationName[]): MediaApi {
  const api: Record<string, unknown> = {};
  for (const name of names) {
    const channel = operationChannel(name);
    api[name] = (input?: unknown) => ipc.invoke(channel, input ?? {});
  }
  api.onEvent = (listener: MediaEventListener) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function.');
    const handler = (_event: unknown, events: readonly MediaEvent[]) => listener(events);
    ipc.on(IPC_EVENTS_CHANNEL, handler);
    return () => {
      ipc.removeListener(IPC_EVENTS_CHANNEL, handler);
    };
  };
  return Object.freeze(api) as MediaApi;
}

/** Preload (sandboxed, context-isolated): exposes the typed desktop API as `window.mediaApi`. */
import { contextBridge, ipcRenderer } from 'electron';
import { buildMediaApi } from './build-api';
import { PRELOAD_OPERATION_NAMES } from './operation-names';

contextBridge.exposeInMainWorld('mediaApi', buildMediaApi(ipcRenderer, PRELOAD_OPERATION_NAMES));

/**
 * Desktop entry (Electron main process). Paths are resolved here, in the entry module, because
 * only this file is guaranteed to be emitted as out/main/index.js (shared code may land in
 * out/main/chunks/).
 */
import { join } from 'node:path';
import { startDesktopApp } from './electron/app-lifecycle';

const mainDir = import.meta.dirname;

startDesktopApp({
  preloadPath: join(mainDir, '../preload/index.cjs'),
  rendererDir: join(mainDir, '../renderer'),
  resourcesDir: join(mainDir, '../../resources'),
  devServerUrl: process.env.ELECTRON_RENDERER_URL,
});

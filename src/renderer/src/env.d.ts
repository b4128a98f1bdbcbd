/// <reference types="vite/client" />
import type { MediaApi } from '../../shared/contracts/desktop-api';

declare global {
  interface Window {
    /** Present in the desktop app (exposed by the preload); absent in a plain browser. */
    readonly mediaApi?: MediaApi;
  }
}

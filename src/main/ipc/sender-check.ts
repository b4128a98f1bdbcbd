/**
 * Which renderer frames may call the IPC bridge: only the main frame of our own page, loaded
 * from the built renderer folder (file://) or, in development, from the electron-vite dev server.
 * Anything else (a navigated-away frame, an iframe, a foreign origin) is refused.
 */
import { fileURLToPath } from 'node:url';
import { resolve, sep } from 'node:path';

export interface TrustedRenderer {
  /** Absolute folder of the built renderer (out/renderer). */
  readonly rendererDir: string;
  /** The dev server URL (ELECTRON_RENDERER_URL) when running under `electron-vite dev`. */
  readonly devServerUrl?: string | undefined;
}

export interface SenderFrameLike {
  readonly url: string;
  /** null for a main frame. */
  readonly parent: unknown;
}

export function isTrustedSenderUrl(url: string, trusted: TrustedRenderer): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') {
    let file: string;
    try {
      file = resolve(fileURLToPath(parsed));
    } catch {
      return false;
    }
    const dir = resolve(trusted.rendererDir);
    return file.startsWith(dir + sep);
  }
  if (trusted.devServerUrl) {
    try {
      return parsed.origin === new URL(trusted.devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}

export function isTrustedSender(frame: SenderFrameLike | null | undefined, trusted: TrustedRenderer): boolean {
  if (!frame) return false;
  if (frame.parent !== null && frame.parent !== undefined) return false;
  return isTrustedSenderUrl(frame.url, trusted);
}

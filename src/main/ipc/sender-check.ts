/**
 * Which renderer frames may call the IPC bridge: only a main frame showing our own page, served
 * as app://renderer/… (exact scheme and host, see electron/app-protocol.ts) or, in development,
 * from the electron-vite dev server's origin. Anything else (file:// pages, a navigated-away
 * frame, an iframe, another app:// host, a foreign origin, an unparsable URL) is refused.
 */
import { isAppOriginUrl } from '../electron/app-protocol';

export interface TrustedRenderer {
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
  if (isAppOriginUrl(parsed)) return true;
  if (trusted.devServerUrl) {
    try {
      const dev = new URL(trusted.devServerUrl);
      return (dev.protocol === 'http:' || dev.protocol === 'https:') && parsed.origin === dev.origin;
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

/**
 * The security baseline of every window (Electron's security checklist): isolated, sandboxed
 * renderers without Node, a strict Content-Security-Policy, no navigation of any frame (nor
 * server redirects), no new windows, no <webview>, and every permission request (camera,
 * notifications, …) refused.
 */
import type { Session, WebContents, WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from '../../shared/security/content-security-policy';

/** The one policy of our UI (src/shared/security), re-exported for the Electron shell. */
export { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY };

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

type Hardenable = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * The app is a single page (hash routes are in-page navigations, which fire none of these
 * events): it never navigates any frame, follows no server redirect, opens no window and attaches
 * no webview. Loading our page with loadURL is programmatic and not affected.
 */
export function hardenWebContents(contents: Hardenable, logger: Pick<Console, 'warn'> = console): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    logger.warn(`Blocked navigation to ${event.url}`);
  });
  contents.on('will-frame-navigate', (event) => {
    event.preventDefault();
    logger.warn(`Blocked navigation of a ${event.isMainFrame ? 'main frame' : 'sub-frame'} to ${event.url}`);
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    logger.warn(`Blocked a redirect to ${event.url}`);
  });
  contents.on('will-attach-webview', (event, _webPreferences, params) => {
    event.preventDefault();
    logger.warn(`Blocked a <webview> for ${params.src ?? '(no src)'}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    logger.warn(`Blocked a new window for ${url}`);
    return { action: 'deny' };
  });
}

type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  readonly webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

export function hardenSession(session: HardenableSession, options: { readonly dev: boolean }): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  const policy = options.dev ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [policy],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}

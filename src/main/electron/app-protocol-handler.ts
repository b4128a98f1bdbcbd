/**
 * Registers and serves the `app://` scheme (see app-protocol.ts for the URL → file rules).
 * `registerAppScheme` must run before the app is ready (Electron reads the privileged schemes at
 * start-up); `handleAppProtocol` runs once it is ready. Only GET and HEAD of plain files inside
 * the built renderer folder are answered; everything else is a 404 (405 for other methods).
 * Every response carries the Content-Security-Policy and `nosniff`.
 */
import { protocol } from 'electron';
import { readFile, realpath, stat } from 'node:fs/promises';
import { CONTENT_SECURITY_POLICY } from './security';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, isInside, resolveAppRequest } from './app-protocol';

type Logger = Pick<Console, 'warn'>;

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

export function handleAppProtocol(rendererDir: string, logger: Logger = console): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir, logger));
}

function respond(status: number, body: Uint8Array | null, contentType: string): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

const notFound = (): Response => respond(404, null, 'text/plain; charset=utf-8');

export function createAppProtocolHandler(rendererDir: string, logger: Logger = console) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, null, 'text/plain; charset=utf-8');
    const target = resolveAppRequest(request.url, rendererDir);
    if (!target.ok) {
      logger.warn(`Refused ${request.url}: ${target.reason}`);
      return notFound();
    }
    try {
      // The folder itself may be reached through a symlink (an unpacked install); its files may not lead out of it.
      const [root, file] = await Promise.all([realpath(rendererDir), realpath(target.filePath)]);
      if (!isInside(root, file)) {
        logger.warn(`Refused ${request.url}: a link leads outside the renderer folder`);
        return notFound();
      }
      if (!(await stat(file)).isFile()) return notFound();
      const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(file));
      return respond(200, body, target.contentType);
    } catch {
      return notFound();
    }
  };
}

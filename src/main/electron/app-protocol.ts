/**
 * The `app://` scheme that serves the built renderer to the desktop window instead of file://
 * (as VS Code does with vscode-file://): the page gets a real, fixed origin (`app://renderer`),
 * so `'self'` in the Content-Security-Policy and the IPC sender check mean exactly our page, and
 * file:// needs no extra privileges (the GrantFileProtocolExtraPrivileges fuse is off).
 *
 * This module is pure (no electron, no fs): which request URL maps to which file of the renderer
 * folder, and which it refuses. A request is served only when every path segment is a plain file
 * name: no `..` or `.` (also percent-encoded), no dot files, no encoded `/` or `\`, no drive
 * letters or NUL bytes, no empty segments. The protocol handler (app-protocol-handler.ts) then
 * also refuses a resolved file whose real path (symlinks followed) leaves the folder.
 */
import { extname, isAbsolute, join, relative, resolve } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the main window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * standard: relative URLs, a real origin and web storage; secure: treated like https (no mixed
 * content); supportFetchAPI: fetch() may read it. Neither bypassCSP nor corsEnabled: other
 * origins cannot read our files and our own policy applies.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

/** Is this URL on our origin: exactly `app://renderer`, no port, no credentials? */
export function isAppOriginUrl(url: URL): boolean {
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}

export type AppRequestTarget =
  | { readonly ok: true; readonly filePath: string; readonly contentType: string }
  | { readonly ok: false; readonly reason: string };

/** A segment that is a plain file or folder name; it may not start with a dot. */
const PLAIN_SEGMENT = /^[A-Za-z0-9_@+~-][A-Za-z0-9_.@+~-]*$/;

/** Maps the raw (still percent-encoded) path of a request to a file inside `rootDir`. */
export function resolveAppPath(rawPathname: string, rootDir: string): AppRequestTarget {
  if (!rawPathname.startsWith('/')) return { ok: false, reason: 'relative path' };
  const rawSegments = rawPathname === '/' ? ['index.html'] : rawPathname.slice(1).split('/');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, reason: 'malformed percent-encoding' };
    }
    if (!PLAIN_SEGMENT.test(segment)) return { ok: false, reason: `unsafe path segment ${JSON.stringify(segment)}` };
    segments.push(segment);
  }
  const root = resolve(rootDir);
  const filePath = resolve(join(root, ...segments));
  if (!isInside(root, filePath)) return { ok: false, reason: 'outside the renderer folder' };
  return { ok: true, filePath, contentType: contentTypeOf(filePath) };
}

/** Maps a request URL (`app://renderer/assets/x.js?v=1#y`) to a file inside `rootDir`. */
export function resolveAppRequest(requestUrl: string, rootDir: string): AppRequestTarget {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, reason: 'malformed URL' };
  }
  if (!isAppOriginUrl(url)) return { ok: false, reason: 'not our origin' };
  // Chromium hands us `app://renderer/` for the bare origin; Node's parser leaves the path empty.
  return resolveAppPath(url.pathname || '/', rootDir);
}

/** Is `candidate` strictly inside `root` (both absolute, already resolved)? */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** The Content-Type of a file by its extension; unknown ones are plain bytes (never sniffed). */
export function contentTypeOf(filePath: string): string {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, contentTypeOf, isAppOriginUrl, isInside, resolveAppPath, resolveAppRequest } from './app-protocol';

const root = '/opt/media/out/renderer';

describe('app:// path resolution', () => {
  it('has one fixed origin and entry page', () => {
    expect(APP_ORIGIN).toBe('app://renderer');
    expect(APP_ENTRY_URL).toBe('app://renderer/index.html');
  });

  it.each([
    ['/index.html', `${root}/index.html`],
    ['/', `${root}/index.html`],
    ['/assets/index-Bx3_f-9a.js', `${root}/assets/index-Bx3_f-9a.js`],
    ['/assets/index-Bx3_f-9a.css', `${root}/assets/index-Bx3_f-9a.css`],
    ['/assets/inter%2Bbold.woff2', `${root}/assets/inter+bold.woff2`],
    ['/assets/a..b.js', `${root}/assets/a..b.js`],
  ])('serves %s from %s', (path, file) => {
    expect(resolveAppPath(path, root)).toMatchObject({ ok: true, filePath: file });
  });

  // Raw paths as a handler could receive them if the URL parser did not normalise them first.
  it.each([
    ['/..', 'parent segment'],
    ['/../secret.txt', 'parent segment'],
    ['/assets/../../secret.txt', 'parent segment'],
    ['/./index.html', 'current segment'],
    ['/%2e%2e/secret.txt', 'percent-encoded parent'],
    ['/%2E%2E/secret.txt', 'percent-encoded parent, upper case'],
    ['/.%2e/secret.txt', 'half-encoded parent'],
    ['/%252e%252e/secret.txt', 'double-encoded parent'],
    ['/assets%2f..%2f..%2fsecret.txt', 'encoded slashes'],
    ['/assets%2F..%2F..%2Fsecret.txt', 'encoded slashes, upper case'],
    ['/..%5c..%5csecret.txt', 'encoded backslashes'],
    ['/..\\..\\secret.txt', 'backslashes'],
    ['//etc/passwd', 'empty segment (absolute path)'],
    ['/%2fetc/passwd', 'encoded leading slash (absolute path)'],
    ['/assets//index.js', 'empty segment'],
    ['/assets/', 'trailing slash (a folder)'],
    ['/C:/Windows/win.ini', 'drive letter'],
    ['/C%3A%5CWindows%5Cwin.ini', 'encoded drive path'],
    ['/index.html%00.png', 'NUL byte'],
    ['/.env', 'dot file'],
    ['/.git/config', 'dot folder'],
    ['/%E0%A4%A', 'malformed percent-encoding'],
    ['/%', 'lone percent'],
    ['/in dex.html', 'space'],
    ['/index.html:stream', 'alternate data stream'],
    ['index.html', 'relative path'],
    ['', 'empty path'],
  ])('refuses %s (%s)', (path) => {
    expect(resolveAppPath(path, root).ok).toBe(false);
  });

  it.each([
    ['app://renderer/index.html', `${root}/index.html`],
    ['app://renderer/', `${root}/index.html`],
    ['app://renderer', `${root}/index.html`],
    ['app://renderer/index.html?v=1#/jobs', `${root}/index.html`],
    ['app://renderer/assets/app.js', `${root}/assets/app.js`],
    // the URL parser removes dot segments, plain or encoded, before we see them: still inside
    ['app://renderer/../../etc/passwd', `${root}/etc/passwd`],
    ['app://renderer/%2e%2e/%2e%2e/etc/passwd', `${root}/etc/passwd`],
    ['app://renderer/assets/./../index.html', `${root}/index.html`],
  ])('maps the request %s to %s', (url, file) => {
    expect(resolveAppRequest(url, root)).toMatchObject({ ok: true, filePath: file });
  });

  it.each([
    'app://other-host/index.html',
    'app://renderer:8080/index.html',
    'app://user:pass@renderer/index.html',
    'file:///opt/media/out/renderer/index.html',
    'https://renderer/index.html',
    'app://renderer/assets%2f..%2f..%2fsecret.txt',
    'app://renderer/..%2f..%2fsecret.txt',
    'app://renderer//etc/passwd',
    'app://renderer/C:/Windows/win.ini',
    'not a url',
  ])('refuses the request %s', (url) => {
    expect(resolveAppRequest(url, root).ok).toBe(false);
  });

  it('never resolves outside the folder, whatever the input', () => {
    const nasty = ['..', '.', '%2e', '%2E%2e', '%2f', '%5c', '%00', '', 'a', 'C:', '~', '%252e', '\\', '/'];
    for (const a of nasty) {
      for (const b of nasty) {
        const target = resolveAppPath(`/${a}/${b}`, root);
        if (target.ok) expect(isInside(root, target.filePath)).toBe(true);
      }
    }
  });

  it('knows our origin exactly', () => {
    expect(isAppOriginUrl(new URL('app://renderer/x'))).toBe(true);
    expect(isAppOriginUrl(new URL('app://Renderer/x'))).toBe(false);
    expect(isAppOriginUrl(new URL('app://renderer:1/x'))).toBe(false);
    expect(isAppOriginUrl(new URL('apps://renderer/x'))).toBe(false);
  });

  it('tells inside from outside and look-alike folders', () => {
    expect(isInside(root, `${root}/index.html`)).toBe(true);
    expect(isInside(root, root)).toBe(false);
    expect(isInside(root, `${root}-evil/index.html`)).toBe(false);
    expect(isInside(root, '/opt/media/out/secret')).toBe(false);
  });

  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/app.js', 'text/javascript; charset=utf-8'],
    ['assets/app.CSS', 'text/css; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
    ['font.woff2', 'font/woff2'],
    ['backend.wasm', 'application/wasm'],
    ['model.bin', 'application/octet-stream'],
    ['README', 'application/octet-stream'],
  ])('types %s as %s', (file, type) => {
    expect(contentTypeOf(file)).toBe(type);
  });
});

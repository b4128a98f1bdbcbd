import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/content-security-policy';
import { createAppProtocolHandler, handleAppProtocol, registerAppScheme } from './app-protocol-handler';
import { fakeApp, fakeProtocol, resetFakeElectron } from './testing/fake-electron';

vi.mock('electron', async () => (await import('./testing/fake-electron')).fakeElectron);

let dir: string;
let renderer: string;
const logger = { warn: vi.fn() };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  renderer = join(dir, 'out', 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>ours</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(renderer, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(dir, 'out', 'secret.txt'), 'secret');
  mkdirSync(join(dir, 'elsewhere'));
  writeFileSync(join(dir, 'elsewhere', 'other.js'), 'other');
  // links that lead out of the folder, and one that stays inside
  symlinkSync(join(dir, 'out', 'secret.txt'), join(renderer, 'leak.txt'));
  symlinkSync(join(dir, 'elsewhere'), join(renderer, 'linked'));
  symlinkSync(join(renderer, 'assets', 'app.js'), join(renderer, 'alias.js'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  resetFakeElectron();
  logger.warn.mockClear();
});

const get = (url: string, method = 'GET') => createAppProtocolHandler(renderer, logger)(new Request(url, { method }));

describe('app:// protocol handler', () => {
  it.each([
    ['app://renderer/index.html', 'text/html; charset=utf-8', '<!doctype html><title>ours</title>'],
    ['app://renderer/', 'text/html; charset=utf-8', '<!doctype html><title>ours</title>'],
    ['app://renderer/index.html?x=1#/jobs', 'text/html; charset=utf-8', '<!doctype html><title>ours</title>'],
    ['app://renderer/assets/app.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
    ['app://renderer/assets/app.css', 'text/css; charset=utf-8', 'body{}'],
    ['app://renderer/alias.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
  ])('serves %s as %s', async (url, type, body) => {
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(body);
  });

  it.each([
    'app://renderer/leak.txt', // a symlink to a file outside
    'app://renderer/linked/other.js', // a symlinked folder outside
    'app://renderer/missing.js',
    'app://renderer/assets', // a folder
    'app://renderer/../secret.txt',
    'app://renderer/%2e%2e/secret.txt',
    'app://renderer/..%2fsecret.txt',
    'app://renderer/assets%2f..%2f..%2fsecret.txt',
    'app://renderer/%2fetc%2fpasswd',
    'app://renderer//etc/passwd',
    'app://renderer/.hidden',
    'app://other-host/index.html',
    'app://renderer:99/index.html',
  ])('answers %s with a 404 that still carries the policy', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('logs why it refused a request', async () => {
    await get('app://renderer/leak.txt');
    await get('app://other-host/index.html');
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[0]![0]).toMatch(/outside the renderer folder/);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://renderer/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await head.text()).toBe('');
    const post = await get('app://renderer/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('serves nothing when the folder itself is missing', async () => {
    const response = await createAppProtocolHandler(join(dir, 'not-built'), logger)(new Request('app://renderer/index.html'));
    expect(response.status).toBe(404);
  });

  it('registers the scheme as privileged (standard, secure, fetch) before the app is ready', () => {
    registerAppScheme();
    expect(fakeProtocol.privilegedCalls).toEqual([{ appReady: false }]);
    expect(fakeProtocol.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(fakeApp.isReady()).toBe(false);
  });

  it('installs the handler for the app scheme only', async () => {
    handleAppProtocol(renderer, logger);
    expect([...fakeProtocol.handlers.keys()]).toEqual(['app']);
    const response = await fakeProtocol.handlers.get('app')!(new Request('app://renderer/index.html'));
    expect(response.status).toBe(200);
  });
});

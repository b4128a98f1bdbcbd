/**
 * The Host-header guard (DNS rebinding): a table of headers against the allow-lists, then the
 * same table against a real server bound to loopback, with and without MEDIA_ALLOWED_HOSTS.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadless, type HeadlessServer } from '../../headless-server';
import { rawRequest } from '../testing/raw-request';
import { allowedHostNames, hostAllowed, isLoopbackAddress } from './host-check';

const loopbackOnly = allowedHostNames('127.0.0.1', undefined);
const withList = allowedHostNames('127.0.0.1', 'media.lan, Studio.Local:4100 ,');

// [Host header, served bound to loopback, served with MEDIA_ALLOWED_HOSTS=media.lan,studio.local]
const HOSTS: readonly [string | undefined, boolean, boolean][] = [
  ['localhost', true, true],
  ['localhost:4100', true, true],
  ['LOCALHOST:80', true, true],
  ['127.0.0.1', true, true],
  ['127.0.0.1:1', true, true],
  ['[::1]', true, true],
  ['[::1]:4100', true, true],
  ['media.lan:4100', false, true],
  ['studio.local', false, true],
  ['evil.example', false, false],
  ['evil.example:4100', false, false],
  ['localhost.evil.example', false, false],
  ['127.0.0.1.nip.io', false, false],
  ['127.0.0.2', false, false],
  ['0.0.0.0', false, false],
  ['localhost.', false, false],
  ['user@localhost', false, false],
  ['localhost@evil.example', false, false],
  ['localhost/evil', false, false],
  ['localhost:4100:80', false, false],
  ['[::1', false, false],
  ['', false, false],
  [undefined, false, false],
];

describe('which Host headers are served', () => {
  it.each(HOSTS)('%j: loopback %s, with a list %s', (header, loopback, listed) => {
    expect(hostAllowed(header, loopbackOnly)).toBe(loopback);
    expect(hostAllowed(header, withList)).toBe(listed);
  });

  it('checks loopback binds always, other binds only with a list', () => {
    for (const bind of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]']) expect(isLoopbackAddress(bind), bind).toBe(true);
    for (const bind of ['0.0.0.0', '::', '192.168.1.20', 'media.lan']) expect(isLoopbackAddress(bind), bind).toBe(false);
    expect(allowedHostNames('0.0.0.0', undefined)).toBeNull();
    expect(allowedHostNames('0.0.0.0', '')).toBeNull();
    expect([...allowedHostNames('0.0.0.0', 'media.lan')!]).toContain('media.lan');
    expect(hostAllowed('anything.example', null)).toBe(true);
  });
});

describe('a headless server bound to loopback', () => {
  const TOKEN = 'host-check-token-0123456789abcdef';
  let dir: string;
  let plain: HeadlessServer;
  let listed: HeadlessServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mjc-hosts-'));
    const env = (name: string, extra: Record<string, string> = {}) => ({ MEDIA_DATA_DIR: join(dir, name), MEDIA_LIBRARY_PATH: join(dir, 'library'), PORT: '0', MEDIA_API_TOKEN: TOKEN, MEDIA_NODE_ID: name, ...extra });
    plain = await startHeadless(env('plain'), { print: () => {}, rendererDir: join(dir, 'no-ui') });
    listed = await startHeadless(env('listed', { MEDIA_ALLOWED_HOSTS: 'media.lan,studio.local' }), { print: () => {}, rendererDir: join(dir, 'no-ui') });
  });

  afterAll(async () => {
    await plain?.close();
    await listed?.close();
  });

  it.each(HOSTS)('Host %j', async (header, loopback, withAllowList) => {
    for (const [server, served] of [[plain, loopback], [listed, withAllowList]] as const) {
      for (const path of ['/api/health', '/api/media/jobs']) {
        const res = await rawRequest(server.url, { method: 'GET', path, host: header ?? null, headers: { authorization: `Bearer ${TOKEN}` } });
        if (served) {
          expect(res.status, `${path} for ${header}`).toBe(200);
        } else if (header === undefined) {
          // without any Host header Node's HTTP server answers 400 itself (requireHostHeader)
          expect(res.status).toBe(400);
        } else {
          expect(res.status, `${path} for ${header}`).toBe(421);
          expect(res.body.error.code).toBe('HOST_NOT_ALLOWED');
        }
      }
    }
  });
});

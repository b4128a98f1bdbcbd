import { beforeEach, describe, expect, it } from 'vitest';
import type { Session } from 'electron';
import { fakeSession, resetFakeElectron } from './testing/fake-electron';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY, hardenSession } from './security';

const session = fakeSession as unknown as Session;

describe('session hardening', () => {
  beforeEach(() => resetFakeElectron());

  it('denies every permission request and check', () => {
    hardenSession(session, { dev: false });
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      fakeSession.permissionRequestHandler!(...([null, permission, (answer: boolean) => (granted = answer)] as never[]));
      expect(granted).toBe(false);
      expect(fakeSession.permissionCheckHandler!(...([null, permission] as never[]))).toBe(false);
    }
  });

  it('adds the Content-Security-Policy to responses', () => {
    hardenSession(session, { dev: false });
    let headers: Record<string, string[]> = {};
    fakeSession.headersListener!(
      ...([
        { responseHeaders: { 'Content-Type': ['text/html'] } },
        (response: { responseHeaders: Record<string, string[]> }) => (headers = response.responseHeaders),
      ] as never[]),
    );
    expect(headers['Content-Type']).toEqual(['text/html']);
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });

  it('has a strict production policy and loosens scripts only for the dev server', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY.match(/script-src [^;]*/)?.[0]).toBe("script-src 'self'");
    expect(DEV_CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'unsafe-inline'");
  });
});

describe('page policy', () => {
  it('the meta tag of the page carries the same policy (frame-ancestors only works as a header)', async () => {
    const { readFile } = await import('node:fs/promises');
    const html = await readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    const expected = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');
    expect(meta).toBe(expected);
  });
});

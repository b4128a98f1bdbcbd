import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY as SHARED_POLICY } from '../../shared/security/content-security-policy';
import { FakeWebContents, fakeEvent, fakeSession, resetFakeElectron } from './testing/fake-electron';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY, hardenSession, hardenWebContents } from './security';

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

  it('uses the one shared policy of the UI, and a dev policy derived from it', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(SHARED_POLICY);
    expect(DEV_CONTENT_SECURITY_POLICY).toBe(
      SHARED_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:*"),
    );
    hardenSession(session, { dev: true });
    let headers: Record<string, string[]> = {};
    fakeSession.headersListener!(
      ...([{ responseHeaders: {} }, (response: { responseHeaders: Record<string, string[]> }) => (headers = response.responseHeaders)] as never[]),
    );
    expect(headers['Content-Security-Policy']).toEqual([DEV_CONTENT_SECURITY_POLICY]);
  });

  it('has a strict production policy and loosens scripts only for the dev server', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY.match(/script-src [^;]*/)?.[0]).toBe("script-src 'self'");
    expect(DEV_CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'unsafe-inline'");
  });
});

describe('web contents hardening', () => {
  const setup = () => {
    const contents = new FakeWebContents();
    const logger = { warn: vi.fn() };
    hardenWebContents(contents as unknown as WebContents, logger);
    return { contents, logger };
  };

  it.each([
    ['will-navigate', { url: 'https://evil.example/', isMainFrame: true }],
    ['will-frame-navigate', { url: 'https://evil.example/', isMainFrame: true }],
    ['will-frame-navigate', { url: 'https://evil.example/frame', isMainFrame: false }],
    ['will-frame-navigate', { url: 'file:///etc/passwd', isMainFrame: false }],
    ['will-redirect', { url: 'https://evil.example/redirected', isMainFrame: true }],
  ])('blocks %s and says where it went (%o)', (name, details) => {
    const { contents, logger } = setup();
    const event = fakeEvent(details);
    contents.emit(name, event, details.url);
    expect(event.defaultPrevented).toBe(true);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toContain(details.url);
  });

  it('blocks <webview> tags', () => {
    const { contents, logger } = setup();
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, {}, { src: 'https://evil.example/' });
    expect(event.defaultPrevented).toBe(true);
    expect(logger.warn.mock.calls[0]![0]).toContain('https://evil.example/');
  });

  it('denies every new window', () => {
    const { contents, logger } = setup();
    for (const url of ['https://evil.example/', 'app://renderer/index.html', 'about:blank']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(logger.warn).toHaveBeenCalledTimes(3);
  });

  it('listens to every navigation event', () => {
    const { contents } = setup();
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(contents.listenerCount(name)).toBe(1);
    }
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

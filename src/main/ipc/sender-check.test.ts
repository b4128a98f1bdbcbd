import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL } from '../electron/app-protocol';
import { isTrustedSender, isTrustedSenderUrl } from './sender-check';

const devServerUrl = 'http://localhost:5173/';

describe('IPC sender check', () => {
  it('serves its page from app://renderer', () => {
    expect(APP_ENTRY_URL).toBe('app://renderer/index.html');
  });

  // [sender URL, trusted in a packaged app, trusted under the dev server]
  const table: ReadonlyArray<readonly [string, boolean, boolean]> = [
    // our page, served by the app:// scheme
    ['app://renderer/index.html', true, true],
    ['app://renderer/index.html#/jobs', true, true],
    ['app://renderer/', true, true],
    ['APP://renderer/index.html', true, true],
    // other app:// hosts, ports and credentials are not our origin
    ['app://other-host/index.html', false, false],
    ['app://renderer.evil/index.html', false, false],
    ['app://renderer:8080/index.html', false, false],
    ['app://user@renderer/index.html', false, false],
    ['app://renderer@evil/index.html', false, false],
    ['app:renderer/index.html', false, false],
    ['appx://renderer/index.html', false, false],
    // file:// is no longer trusted, even the built page itself
    ['file:///opt/media/out/renderer/index.html', false, false],
    ['file:///tmp/evil.html', false, false],
    // the dev server origin, only while it is configured
    ['http://localhost:5173/index.html', false, true],
    ['http://localhost:5173/', false, true],
    ['http://localhost:5174/', false, false],
    ['https://localhost:5173/', false, false],
    ['http://127.0.0.1:5173/', false, false],
    // the web
    ['https://evil.example/', false, false],
    ['http://evil.example/', false, false],
    ['data:text/html,<h1>hi</h1>', false, false],
    ['blob:app://renderer/1234', false, false],
    ['about:blank', false, false],
    ['devtools://devtools/bundled/inspector.html', false, false],
    // malformed
    ['not a url', false, false],
    ['', false, false],
    ['app://', false, false],
    ['http://[::1', false, false],
  ];

  it.each(table)('%s: packaged %s, dev server %s', (url, packaged, dev) => {
    expect(isTrustedSenderUrl(url, {})).toBe(packaged);
    expect(isTrustedSenderUrl(url, { devServerUrl })).toBe(dev);
  });

  it('refuses everything but our page when the dev server URL is not http(s) or unparsable', () => {
    expect(isTrustedSenderUrl('file:///tmp/evil.html', { devServerUrl: 'file:///opt/media/out/renderer/index.html' })).toBe(false);
    expect(isTrustedSenderUrl('http://localhost:5173/', { devServerUrl: 'not a url' })).toBe(false);
    expect(isTrustedSenderUrl(APP_ENTRY_URL, { devServerUrl: 'not a url' })).toBe(true);
  });

  it('trusts main frames only: missing frames and iframes are refused', () => {
    expect(isTrustedSender(null, {})).toBe(false);
    expect(isTrustedSender(undefined, {})).toBe(false);
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: null }, {})).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: undefined }, {})).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL } }, {})).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5173/', parent: { url: 'http://localhost:5173/' } }, { devServerUrl })).toBe(false);
    expect(isTrustedSender({ url: 'file:///opt/media/out/renderer/index.html', parent: null }, {})).toBe(false);
  });
});

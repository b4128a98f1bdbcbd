import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTrustedSender, isTrustedSenderUrl } from './sender-check';

const rendererDir = '/opt/media/out/renderer';
const page = pathToFileURL(`${rendererDir}/index.html`).href;

describe('IPC sender check', () => {
  it('trusts our built page', () => {
    expect(isTrustedSenderUrl(page, { rendererDir })).toBe(true);
    expect(isTrustedSenderUrl(`${page}#/jobs`, { rendererDir })).toBe(true);
  });

  it('refuses other files, look-alike folders and traversal', () => {
    expect(isTrustedSenderUrl('file:///tmp/evil.html', { rendererDir })).toBe(false);
    expect(isTrustedSenderUrl('file:///opt/media/out/renderer-evil/index.html', { rendererDir })).toBe(false);
    expect(isTrustedSenderUrl('file:///opt/media/out/renderer/../evil.html', { rendererDir })).toBe(false);
    expect(isTrustedSenderUrl('file:///opt/media/out/renderer', { rendererDir })).toBe(false);
  });

  it('trusts the dev server origin only when one is configured', () => {
    const devServerUrl = 'http://localhost:5173/';
    expect(isTrustedSenderUrl('http://localhost:5173/index.html', { rendererDir, devServerUrl })).toBe(true);
    expect(isTrustedSenderUrl('http://localhost:5173/index.html', { rendererDir })).toBe(false);
    expect(isTrustedSenderUrl('http://localhost:5174/', { rendererDir, devServerUrl })).toBe(false);
    expect(isTrustedSenderUrl('https://evil.example/', { rendererDir, devServerUrl })).toBe(false);
  });

  it('refuses garbage, missing frames and sub-frames', () => {
    expect(isTrustedSenderUrl('not a url', { rendererDir })).toBe(false);
    expect(isTrustedSenderUrl('', { rendererDir })).toBe(false);
    expect(isTrustedSender(null, { rendererDir })).toBe(false);
    expect(isTrustedSender({ url: page, parent: { url: page } }, { rendererDir })).toBe(false);
    expect(isTrustedSender({ url: page, parent: null }, { rendererDir })).toBe(true);
  });
});

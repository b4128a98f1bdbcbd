import { describe, expect, it } from 'vitest';
import { decideLaunch, fallbackMessage } from './launch-decision.mjs';

const exists = (path: string) => path === '/app/node_modules/electron/dist/electron';
const electronPath = '/app/node_modules/electron/dist/electron';

describe('launch decision', () => {
  it('runs Electron when its binary exists and there is a display', () => {
    expect(decideLaunch({ electronPath, exists, platform: 'linux', env: { DISPLAY: ':0' } })).toEqual({ mode: 'electron', electronPath });
    expect(decideLaunch({ electronPath, exists, platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } }).mode).toBe('electron');
  });

  it('falls back to headless when the binary was never downloaded', () => {
    expect(decideLaunch({ electronPath: null, exists, platform: 'linux', env: { DISPLAY: ':0' } })).toEqual({
      mode: 'headless',
      reason: 'its binary was not downloaded',
    });
    expect(decideLaunch({ electronPath: '/elsewhere/electron', exists, platform: 'linux', env: { DISPLAY: ':0' } }).mode).toBe('headless');
  });

  it('falls back to headless on Linux without a display', () => {
    const decision = decideLaunch({ electronPath, exists, platform: 'linux', env: { DISPLAY: '' } });
    expect(decision.mode).toBe('headless');
    expect(decision.mode === 'headless' && decision.reason).toMatch(/no display/);
  });

  it('needs no display variable on Windows or macOS', () => {
    expect(decideLaunch({ electronPath, exists, platform: 'win32', env: {} }).mode).toBe('electron');
    expect(decideLaunch({ electronPath, exists, platform: 'darwin', env: {} }).mode).toBe('electron');
  });

  it('explains the fallback in one line', () => {
    const message = fallbackMessage('its binary was not downloaded');
    expect(message).toBe('Electron cannot start here (its binary was not downloaded): serving the same runtime headless with the web UI instead.');
    expect(message).not.toContain('\n');
  });
});

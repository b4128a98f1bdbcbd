/**
 * Whether `npm start` can open the desktop app here, or must fall back to the headless server
 * with the web UI. Pure: every fact about the machine is passed in.
 *
 * @typedef {{ mode: 'electron', electronPath: string } | { mode: 'headless', reason: string }} LaunchDecision
 * @typedef {{ electronPath: string | null, exists: (path: string) => boolean, platform: string, env: Record<string, string | undefined> }} LaunchFacts
 */

/** Desktops other than Windows and macOS need an X11 or Wayland display to open a window. */
const NEEDS_DISPLAY = new Set(['linux', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix']);

/**
 * @param {LaunchFacts} facts
 * @returns {LaunchDecision}
 */
export function decideLaunch({ electronPath, exists, platform, env }) {
  if (!electronPath || !exists(electronPath)) {
    return { mode: 'headless', reason: 'its binary was not downloaded' };
  }
  if (NEEDS_DISPLAY.has(platform) && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { mode: 'headless', reason: 'no display: neither DISPLAY nor WAYLAND_DISPLAY is set' };
  }
  return { mode: 'electron', electronPath };
}

/**
 * @param {string} reason
 * @returns {string}
 */
export function fallbackMessage(reason) {
  return `Electron cannot start here (${reason}): serving the same runtime headless with the web UI instead.`;
}

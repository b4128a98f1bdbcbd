/**
 * Whether `npm run headless` must build the app first, or the build in out/ is current. Pure:
 * every fact about the files is passed in.
 *
 * The build is current when every output the headless server needs exists and the build is not
 * older than any input: the sources under src/ (tests excepted) and the build's configuration
 * files. The build's time is the stamp written by the last build this script ran (its mtime is
 * the time that build STARTED, so a file saved during a build still counts as newer), or the
 * oldest required output when a later build (`npm run build`, `npm start`) wrote them after it.
 *
 * @typedef {{ path: string, mtimeMs: number }} FileTime
 * @typedef {{ build: false } | { build: true, reason: string }} BuildDecision
 */

/** What the headless server loads from out/ (the main entry, the web UI; the preload for the desktop). */
export const REQUIRED_OUTPUTS = ['out/main/headless.js', 'out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

/** Written into out/ after a successful build. */
export const BUILD_STAMP = 'out/.build-stamp';

/** Folders walked for inputs, and single input files, relative to the repository root. */
export const INPUT_FOLDERS = ['src'];
export const INPUT_FILES = ['package.json', 'package-lock.json', 'electron.vite.config.ts', 'tsconfig.json', 'tsconfig.base.json', 'tsconfig.node.json', 'tsconfig.web.json'];

/** Files that never reach the build: tests. */
export function isBuildInput(path) {
  return !/\.test\.(?:[cm]?[jt]sx?)$/.test(path);
}

/**
 * @param {{ outputs: readonly { path: string, mtimeMs: number | null }[], stampMs: number | null, inputs: readonly FileTime[] }} facts
 *   outputs: the REQUIRED_OUTPUTS with their mtimes (null: missing)
 * @returns {BuildDecision}
 */
export function decideBuild({ outputs, stampMs, inputs }) {
  const missing = outputs.find((o) => o.mtimeMs === null);
  if (missing) return { build: true, reason: `${missing.path} is missing` };
  const oldestOutput = Math.min(...outputs.map((o) => /** @type {number} */ (o.mtimeMs)));
  const builtAt = Math.max(stampMs ?? -Infinity, oldestOutput);
  let newest = null;
  for (const input of inputs) if (isBuildInput(input.path) && (newest === null || input.mtimeMs > newest.mtimeMs)) newest = input;
  if (newest !== null && newest.mtimeMs > builtAt) return { build: true, reason: `${newest.path} changed since the last build` };
  return { build: false };
}

/**
 * Whether a build lock left by another start may be taken over: its owner is gone, or it is older
 * than any build takes.
 *
 * @param {{ ownerAlive: boolean, ageMs: number, maxAgeMs?: number }} lock
 */
export function lockIsAbandoned({ ownerAlive, ageMs, maxAgeMs = 15 * 60_000 }) {
  return !ownerAlive || ageMs > maxAgeMs;
}

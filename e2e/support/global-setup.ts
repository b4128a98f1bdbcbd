/**
 * Vitest globalSetup of the e2e project: builds the app once (`electron-vite build`, as
 * `npm run headless` does), so the suite always drives the headless server and web UI of the
 * current sources, and checks that a Chromium is there before any test starts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from './browser';
import { HEADLESS_ENTRY, RENDERER_INDEX, REPO_ROOT } from './paths';

export default function setup(): void {
  findChromium(); // fails early, with the package to install, when there is none
  const cli = join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const started = Date.now();
  // process.execPath: the Node that runs the tests (the pinned Node 22 under `npm test`)
  const result = spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 240_000 });
  if (result.status !== 0) {
    throw new Error(`e2e: electron-vite build failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  for (const file of [HEADLESS_ENTRY, RENDERER_INDEX]) {
    if (!existsSync(file)) throw new Error(`e2e: the build did not produce ${file}`);
  }
  console.log(`e2e: built the app in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Vitest globalSetup of the e2e project: builds the app once (`electron-vite build`, as
 * `npm run headless` does), so the suite always drives the headless server and web UI of the
 * current sources, and checks that a Chromium is there before any test starts.
 *
 * The server under test runs from a private copy of the build (`.tmp/e2e-app-<pid>/out`, inside the
 * repository so node_modules resolve as from out/): a build or `npm run headless` started by someone
 * else in the same checkout while the suite runs would otherwise replace the web UI under its feet.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findChromium } from './browser';
import { BUILD_DIR, headlessEntryIn, REPO_ROOT } from './paths';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  findChromium(); // fails early, with the package to install, when there is none
  const cli = join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const started = Date.now();
  // process.execPath: the Node that runs the tests (the pinned Node 22 under `npm test`)
  const result = spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 240_000 });
  if (result.status !== 0) {
    throw new Error(`e2e: electron-vite build failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  const appDir = join(REPO_ROOT, '.tmp', `e2e-app-${process.pid}`);
  await rm(appDir, { recursive: true, force: true });
  await mkdir(join(appDir, 'out'), { recursive: true });
  for (const part of ['main', 'renderer']) await cp(join(BUILD_DIR, part), join(appDir, 'out', part), { recursive: true });
  for (const file of [headlessEntryIn(appDir), join(appDir, 'out', 'renderer', 'index.html')]) {
    if (!existsSync(file)) throw new Error(`e2e: the build did not produce ${file}`);
  }
  console.log(`e2e: built the app in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('e2eAppDir', appDir);
  return async () => {
    await rm(appDir, { recursive: true, force: true });
  };
}

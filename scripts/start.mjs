/**
 * `npm start` (after `electron-vite build`): opens the desktop app when Electron can run here;
 * otherwise says why in one line and serves the same runtime headless, with the web UI, in this
 * process.
 *
 * The Electron path is read the way the `electron` package's own index.js reads it (path.txt,
 * ELECTRON_OVERRIDE_DIST_PATH), without requiring that file: requiring it tries to download the
 * binary when it is missing, which blocks or fails on an offline machine.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decideLaunch, fallbackMessage } from './launch-decision.mjs';

const root = resolve(import.meta.dirname, '..');

function electronBinaryPath() {
  try {
    const packageDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
    const pathFile = join(packageDir, 'path.txt');
    const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
    if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return relative ? join(packageDir, 'dist', relative) : null;
  } catch {
    return null;
  }
}

function runElectron(electronPath) {
  const child = spawn(electronPath, [join(root, 'out/main/index.js'), ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    windowsHide: false,
  });
  const forward = (signal) => {
    if (!child.killed) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (error) => {
    console.error(`Electron failed to start: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

const decision = decideLaunch({
  electronPath: electronBinaryPath(),
  exists: existsSync,
  platform: process.platform,
  env: process.env,
});

if (decision.mode === 'electron') {
  runElectron(decision.electronPath);
} else {
  console.log(fallbackMessage(decision.reason));
  // headless.js starts itself only when it is the main script; imported, it is started here.
  const headless = await import(pathToFileURL(join(root, 'out/main/headless.js')).href);
  // runHeadless: start, then run until SIGINT/SIGTERM with a graceful shutdown.
  if (typeof headless.runHeadless === 'function') await headless.runHeadless();
  else await headless.startHeadless();
}

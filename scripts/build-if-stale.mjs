/**
 * `npm run headless` runs this first: builds the app (electron-vite build) only when out/ is
 * missing or older than the sources (see build-decision.mjs), so a start with a current build
 * does not rebuild. Starts in the same checkout take turns through a lock folder (.tmp/build.lock):
 * one builds, the others wait and then find the build current, so no two builds race on out/.
 * Plain Node, no dependencies.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { BUILD_STAMP, decideBuild, INPUT_FILES, INPUT_FOLDERS, lockIsAbandoned, REQUIRED_OUTPUTS } from './build-decision.mjs';

const root = resolve(import.meta.dirname, '..');
const LOCK = join(root, '.tmp', 'build.lock');

/** @returns {import('./build-decision.mjs').FileTime[]} */
function inputTimes() {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push({ path: relative(root, path), mtimeMs: statSync(path).mtimeMs });
    }
  };
  for (const folder of INPUT_FOLDERS) if (existsSync(join(root, folder))) walk(join(root, folder));
  for (const file of INPUT_FILES) if (existsSync(join(root, file))) out.push({ path: file, mtimeMs: statSync(join(root, file)).mtimeMs });
  return out;
}

function decide() {
  const stamp = join(root, BUILD_STAMP);
  return decideBuild({
    outputs: REQUIRED_OUTPUTS.map((p) => ({ path: p, mtimeMs: existsSync(join(root, p)) ? statSync(join(root, p)).mtimeMs : null })),
    stampMs: existsSync(stamp) ? statSync(stamp).mtimeMs : null,
    inputs: inputTimes(),
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Takes the build lock, waiting while another start builds (or taking over one its owner left behind). */
function takeLock() {
  mkdirSync(dirname(LOCK), { recursive: true });
  let told = false;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'owner'), String(process.pid));
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let owner = NaN;
    let ageMs = 0;
    try {
      owner = Number(readFileSync(join(LOCK, 'owner'), 'utf8'));
      ageMs = Date.now() - statSync(LOCK).mtimeMs;
    } catch {
      // just released, or its owner has not written its pid yet
    }
    if (Number.isInteger(owner) && owner > 0 && lockIsAbandoned({ ownerAlive: alive(owner), ageMs })) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (!told) console.log('Another start is building the app; waiting for it.');
    told = true;
    sleep(250);
  }
}

function build() {
  const bin = join(dirname(createRequire(join(root, 'package.json')).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const startedAt = new Date();
  const result = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) return result.status ?? 1;
  const stamp = join(root, BUILD_STAMP);
  writeFileSync(stamp, `${startedAt.toISOString()}\n`);
  utimesSync(stamp, startedAt, startedAt);
  return 0;
}

const first = decide();
if (!first.build) {
  console.log('The build in out/ is current; not rebuilding.');
} else {
  takeLock();
  let status = 0;
  try {
    const now = decide(); // another start may have built it while we waited
    if (now.build) {
      console.log(`Building the app: ${now.reason}.`);
      status = build();
    } else {
      console.log('The build in out/ is current; not rebuilding.');
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  if (status !== 0) process.exit(status);
}

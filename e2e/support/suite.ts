/**
 * One e2e file's world: a temporary data folder and library with clips generated at test time, the
 * built headless server on it, Chromium with one signed-in tab, the REST client, screenshots, and
 * what the page logged as errors. Each file calls `setupSuite()` at its top: its scenarios run in
 * order, and after one fails the rest are skipped (they build on each other), with a screenshot,
 * the server's output and the page's errors printed for the failure.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { RestApi } from './api';
import { launchChromium } from './browser';
import { generateClips } from './clips';
import { startHeadless, type HeadlessProcess } from './headless-server';
import { ARTIFACTS_DIR, headlessEntryIn } from './paths';
import { Screenshots } from './screenshots';

/** Generous: the machines are shared two-core VMs, and ffmpeg jobs run for real. */
export const UI_TIMEOUT = 30_000;
export const JOB_TIMEOUT = 120_000;

export interface SuiteOptions {
  /** Screenshot names start with it (files share one artifacts folder). */
  readonly name: string;
  /** More server environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** ffmpeg redraws its status line this often (s): a wrapper on the server's PATH passes `-stats_period`. */
  readonly statsPeriod?: number;
  readonly viewport?: { width: number; height: number };
  /** Generate the 120 s clip too (for jobs that must still run while the test looks). */
  readonly longClip?: boolean;
}

export interface Suite {
  readonly root: string;
  readonly libraryPath: string;
  readonly server: HeadlessProcess;
  readonly api: RestApi;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly shots: Screenshots;
  readonly browserErrors: string[];
}

/** An ffmpeg that redraws its status line every `period` seconds (the real one, with one more option). */
async function fastStatsFfmpeg(dir: string, period: number): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  const file = join(bin, 'ffmpeg');
  await writeFile(file, `#!/bin/sh\nexec /usr/bin/ffmpeg -stats_period ${period} "$@"\n`);
  await chmod(file, 0o755);
  return file;
}

export function setupSuite(options: SuiteOptions): Suite {
  const state: Partial<{ -readonly [K in keyof Suite]: Suite[K] }> = { shots: new Screenshots(ARTIFACTS_DIR, options.name), browserErrors: [] };
  let firstFailure: string | null = null;

  beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), `media-e2e-${options.name}-`));
    const libraryPath = join(root, 'library');
    const [, browser] = await Promise.all([generateClips(join(libraryPath, 'inbox'), { long: options.longClip ?? true }), launchChromium(), state.shots!.clear()]);
    const ffmpeg: Record<string, string> = options.statsPeriod ? { MEDIA_FFMPEG_PATH: await fastStatsFfmpeg(root, options.statsPeriod) } : {};
    const server = await startHeadless({
      entry: headlessEntryIn(inject('e2eAppDir')),
      dataDir: join(root, 'data'),
      libraryPath,
      // no GPU here: gpu_encode jobs run in software; keep the hang watchdog out of the way
      env: { MEDIA_HANG_TIMEOUT_MS: '600000', ...ffmpeg, ...options.env },
    });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 }, colorScheme: 'light' });
    context.setDefaultTimeout(UI_TIMEOUT);
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && state.browserErrors!.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => state.browserErrors!.push(`page error: ${e.message}`));
    Object.assign(state, { root, libraryPath, server, api: new RestApi(server.url, server.token), browser, context, page });
    console.log(`e2e ${options.name}: headless server ${server.url} (pid ${server.pid}), data in ${root}`);
  });

  afterAll(async () => {
    await state.context?.close().catch(() => {});
    await state.browser?.close().catch(() => {});
    await state.server?.stop();
    if (state.root) await rm(state.root, { recursive: true, force: true });
  });

  beforeEach(({ task, onTestFailed, skip }) => {
    if (firstFailure) skip(`skipped: an earlier scenario failed (${firstFailure})`);
    onTestFailed(async () => {
      firstFailure = task.name;
      if (state.page) await state.shots!.take(state.page, `FAILED-${task.name}`).catch(() => {});
      if (state.server) console.error(`e2e: the headless server's output so far:\n${state.server.output().slice(-4000)}`);
      if (state.browserErrors!.length > 0) console.error(`e2e: errors in the page:\n${state.browserErrors!.slice(-30).join('\n')}`);
    });
  });

  // the fields exist once beforeAll has run, which is before any scenario reads them
  return new Proxy({} as Suite, {
    get: (_, key: keyof Suite) => {
      const value = state[key];
      if (value === undefined) throw new Error(`e2e: the suite's ${String(key)} is read before it was set up`);
      return value;
    },
  });
}

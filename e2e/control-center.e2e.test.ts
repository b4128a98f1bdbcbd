/**
 * End-to-end: the built headless server (`node out/main/headless.js`, as `npm run headless`) with
 * its web UI, driven in Debian's Chromium by playwright-core, with real ffmpeg jobs on clips
 * generated at test time. The scenarios run in order on one server and one signed-in tab, as a
 * user would: sign in, scan, page and filter the jobs, create a re-encode and follow it live,
 * cancel it, retry a failed job, start a job from the library, look at the system page; then, in
 * tabs of their own, a read token that sees everything and can act on nothing, and an operate token
 * that cancels a job it created (the job says who created it).
 *
 * Every wait is on a condition (Playwright's auto-waiting locators, expect.poll, REST polling),
 * never a fixed sleep. A full-page screenshot of each page lands in test-results/e2e/.
 */
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { RestApi } from './support/api';
import { launchChromium } from './support/browser';
import { CORRUPT_FILE, generateClips, LONG_CLIP, SHORT_CLIPS } from './support/clips';
import { startHeadless, type HeadlessProcess } from './support/headless-server';
import { ARTIFACTS_DIR, headlessEntryIn } from './support/paths';
import { waitFor } from './support/wait';
import { Screenshots } from './support/screenshots';

/** Generous: the machines are shared two-core VMs, and ffmpeg jobs run for real. */
const UI_TIMEOUT = 30_000;
const JOB_TIMEOUT = 120_000;

let root: string;
let libraryPath: string;
let server: HeadlessProcess;
let api: RestApi;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const shots = new Screenshots(ARTIFACTS_DIR);
/** What the page logged as errors (told when a scenario fails). */
const browserErrors: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'media-e2e-'));
  libraryPath = join(root, 'library');
  const [, launched] = await Promise.all([generateClips(join(libraryPath, 'inbox')), launchChromium(), shots.reset()]);
  browser = launched;
  server = await startHeadless({
    entry: headlessEntryIn(inject('e2eAppDir')),
    dataDir: join(root, 'data'),
    libraryPath,
    // no GPU here: gpu_encode jobs run in software; keep the hang watchdog out of the way
    env: { MEDIA_HANG_TIMEOUT_MS: '600000' },
  });
  api = new RestApi(server.url, server.token);
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  context.setDefaultTimeout(UI_TIMEOUT);
  page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && browserErrors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => browserErrors.push(`page error: ${e.message}`));
  console.log(`e2e: headless server ${server.url} (pid ${server.pid}), data in ${root}; screenshots in ${ARTIFACTS_DIR}`);
});

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
  console.log(`e2e: screenshots in ${ARTIFACTS_DIR}`);
});

/** The scenarios build on each other: after one fails, the rest are skipped, not failed in its wake. */
let firstFailure: string | null = null;

beforeEach(({ task, onTestFailed, skip }) => {
  if (firstFailure) skip(`skipped: an earlier scenario failed (${firstFailure})`);
  onTestFailed(async () => {
    firstFailure = task.name;
    if (page) await shots.take(page, `FAILED-${task.name}`).catch(() => {});
    if (server) console.error(`e2e: the headless server's output so far:\n${server.output().slice(-4000)}`);
    if (browserErrors.length > 0) console.error(`e2e: errors in the page:\n${browserErrors.slice(-30).join('\n')}`);
  });
});

// ---- page parts, found the way a user (or a screen reader) finds them ----

const nav = (name: 'Jobs' | 'Library' | 'System') => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name, exact: true });
const jobsTable = () => page.getByRole('table', { name: 'Jobs' });
const jobRows = () => jobsTable().locator('tbody tr');
const libraryRows = () => page.getByRole('table', { name: 'Library videos' }).locator('tbody tr');
const drawer = () => page.getByRole('dialog').filter({ has: page.getByRole('button', { name: 'Close job details' }) });
const jobIdInHash = () => /#\/jobs\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? null;

/**
 * Picks an option of a Mantine Select by its label, typing to narrow it when the select is
 * searchable (an option's accessible name may go on with more, e.g. "reencode_streaming 4 GB VRAM").
 */
async function choose(select: Locator, option: string, { type = false } = {}) {
  await select.click();
  if (type) await select.fill(option);
  await page.getByRole('option', { name: new RegExp(`^${option}(\\s|$)`) }).click();
  await expect.poll(() => select.inputValue()).toBe(option);
}

/** The number in a progress bar's accessible name ("Progress 42%"). */
async function progressOf(bar: Locator): Promise<number> {
  const label = (await bar.getAttribute('aria-label')) ?? '';
  return Number(/(\d+)%/.exec(label)?.[1] ?? NaN);
}

/** The tag badges a row shows for these tags (most confident first): five, then "+N". */
function shownTags(tags: readonly string[]): string[] {
  return tags.length > 5 ? [...tags.slice(0, 5), `+${tags.length - 5}`] : [...tags];
}

/** A tab of its own (its own sessionStorage) signed in with `token`, on the Jobs page. */
async function signedInTab(token: string): Promise<{ tab: Page; close: () => Promise<void> }> {
  const own = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  own.setDefaultTimeout(UI_TIMEOUT);
  const tab = await own.newPage();
  tab.on('pageerror', (e) => browserErrors.push(`page error: ${e.message}`));
  await tab.goto(server.url);
  await tab.getByLabel('API token').fill(token);
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await tab.getByRole('heading', { name: 'Jobs', level: 2 }).waitFor();
  return { tab, close: () => own.close() };
}

/** The reason a control is inert, as a screen reader reads it (its aria-describedby). */
async function descriptionOf(control: Locator): Promise<string> {
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => control.page().locator(`[id="${id}"]`).textContent()));
  return texts.join(' ').trim();
}

async function openJobsPage() {
  await nav('Jobs').click();
  await expect.poll(() => page.url()).toMatch(/#\/jobs$/);
  await jobsTable().waitFor();
}

describe.sequential('the media job control center in a browser', () => {
  it('refuses a wrong token with a message, then signs in with the real one', async () => {
    await page.goto(server.url);
    const token = page.getByLabel('API token');
    await token.waitFor();
    await shots.take(page, 'sign-in');

    await token.fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The server refused this token (401 UNAUTHORIZED)', { exact: false }).waitFor();
    await shots.take(page, 'sign-in-refused');

    await token.fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Jobs', level: 2 }).waitFor();
    await page.getByText('No jobs yet').waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
  });

  it('scans the inbox from the library page and lists the clips it found', async () => {
    await nav('Library').click();
    await page.getByText('The library is empty').waitFor();
    await page.getByRole('button', { name: 'Scan inbox' }).click();

    // the scan opens on the Jobs page with its detail; it completes live
    await expect.poll(jobIdInHash).not.toBeNull();
    await drawer().getByText('scan', { exact: true }).waitFor();
    await drawer().getByLabel('Status: Completed').waitFor({ timeout: JOB_TIMEOUT });
    await drawer().getByRole('tab', { name: /^Log/ }).click();
    await drawer().getByRole('log', { name: 'Job log' }).getByText(/found|video/i).first().waitFor();
    await page.getByRole('button', { name: 'Close job details' }).click();

    await nav('Library').click();
    const expected = [...SHORT_CLIPS, LONG_CLIP].map((c) => c.file);
    for (const file of expected) await libraryRows().filter({ hasText: file }).waitFor();
    await expect.poll(() => libraryRows().count()).toBe(expected.length + 1);
    // the corrupt upload is listed, marked invalid with ffprobe's reason
    const corrupt = libraryRows().filter({ hasText: CORRUPT_FILE });
    await corrupt.getByText('Invalid', { exact: true }).waitFor();
    await expect(corrupt.getByText('Valid', { exact: true }).count()).resolves.toBe(0);
    await libraryRows().filter({ hasText: 'sunrise-beach.mp4' }).getByText('640×360').waitFor();
    await libraryRows().filter({ hasText: 'portrait-interview.mp4' }).getByText('portrait', { exact: true }).waitFor();
  });

  it('pages the jobs table and filters it by type and status', async () => {
    // data a busy day would leave: a thumbnail per clip and repeated validations (through the API)
    const clips = await Promise.all(SHORT_CLIPS.map((c) => api.videoByFilename(c.file)));
    const created = [];
    const long = await api.videoByFilename(LONG_CLIP.file);
    for (const video of [...clips, long]) created.push(await api.createJob('thumbnail_generate', { videoId: video.id }));
    for (let i = 0; i < 30; i++) created.push(await api.createJob('validate', { videoId: clips[i % clips.length]!.id }, { priority: 1 + (i % 10) }));
    await Promise.all(created.map((job) => api.waitForStatus(job.id, ['completed'], JOB_TIMEOUT)));
    const total = 1 + created.length; // and the scan

    await openJobsPage();
    await page.getByText(`1–25 of ${total} jobs`).waitFor();
    await expect.poll(() => jobRows().count()).toBe(25);
    await expect.poll(() => jobsTable().getByLabel('Status: Completed').count()).toBe(25);
    await shots.take(page, 'jobs');

    await page.getByRole('button', { name: 'Page 2', exact: true }).click();
    await page.getByText(`26–${total} of ${total} jobs`).waitFor();
    await expect.poll(() => jobRows().count()).toBe(total - 25);
    // oldest last: the scan is on the last page
    await jobRows().last().getByText('scan', { exact: true }).waitFor();

    const main = page.getByRole('main');
    await choose(main.getByRole('combobox', { name: 'Type' }), 'thumbnail_generate', { type: true });
    const thumbnails = SHORT_CLIPS.length + 1;
    await page.getByText(`1–${thumbnails} of ${thumbnails} jobs`).waitFor();
    await expect.poll(() => jobRows().count()).toBe(thumbnails);
    await expect.poll(() => jobRows().filter({ hasText: 'thumbnail_generate' }).count()).toBe(thumbnails);

    await choose(main.getByRole('combobox', { name: 'Status' }), 'Failed');
    await page.getByText('No jobs match these filters').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByText(`1–25 of ${total} jobs`).waitFor();
  });

  it('creates a re-encode from the modal, follows its progress and live log, and cancels it', async () => {
    await openJobsPage();
    await page.getByRole('button', { name: 'Create job' }).first().click();
    const modal = page.getByRole('dialog', { name: 'Create job' });
    await modal.waitFor();
    await choose(modal.getByRole('combobox', { name: 'Type' }), 'reencode_streaming', { type: true });

    // pick the video by typing part of its name: the picker searches the library as you type
    const picker = modal.getByRole('combobox', { name: 'Video' });
    await picker.click();
    await picker.fill('long-dr');
    const option = page.getByRole('option', { name: /long-drive/ });
    await option.waitFor();
    await expect.poll(() => page.getByRole('option').count()).toBe(1);
    await option.click();
    const longVideo = await api.videoByFilename(LONG_CLIP.file);
    await expect.poll(() => modal.getByLabel('Parameters (JSON)').inputValue()).toContain(longVideo.id);
    await shots.take(page, 'create-job-modal');
    await modal.getByRole('button', { name: 'Create', exact: true }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.getByText('Job created').waitFor();

    // the new job is at the top of the table; open its detail
    const row = jobRows().filter({ hasText: 'reencode_streaming' }).first();
    await row.waitFor();
    const jobId = await row.getAttribute('data-job-id');
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    await row.getByRole('button', { name: 'View details of reencode_streaming job' }).click();
    await expect.poll(jobIdInHash).toBe(jobId);
    const detail = drawer();
    await detail.getByLabel('Status: Running').waitFor({ timeout: JOB_TIMEOUT });

    // progress moves while it runs, in the drawer and in the table row
    const bar = detail.getByRole('progressbar').first();
    const firstProgress = await progressOf(bar);
    await expect.poll(() => progressOf(bar), { timeout: JOB_TIMEOUT, interval: 250 }).toBeGreaterThan(firstProgress);
    await expect.poll(() => progressOf(row.getByRole('progressbar')), { timeout: JOB_TIMEOUT }).toBeGreaterThan(0);

    // the log tab follows the job live: new lines arrive without reopening anything
    await detail.getByRole('tab', { name: /^Log/ }).click();
    const log = detail.getByRole('log', { name: 'Job log' });
    await log.getByText('Starting re-encode of inbox/long-drive.mp4', { exact: false }).waitFor();
    const linesBefore = await log.locator(':scope > div').count();
    await expect.poll(() => log.locator(':scope > div').count(), { timeout: JOB_TIMEOUT, interval: 250 }).toBeGreaterThan(linesBefore);
    await log.getByText(/Encoder: libx264/).waitFor();
    expect(await api.getJob(jobId!).then((j) => j.status)).toBe('running');
    await shots.take(page, 'job-detail-running');

    // the console tab shows the tool's own output
    await detail.getByRole('tab', { name: /^Console/ }).click();
    await expect.poll(() => detail.getByLabel('Live console').textContent(), { timeout: JOB_TIMEOUT }).toMatch(/frame=|time=|speed=/);

    // cancel it while it runs: confirm in the dialog, and the drawer shows it cancelled
    await detail.getByRole('button', { name: 'Cancel reencode_streaming job' }).click();
    const confirm = page.getByRole('dialog', { name: 'Cancel jobs?' });
    await confirm.getByText('A running job’s process is stopped', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Cancel job' }).click();
    await detail.getByLabel('Status: Cancelled').waitFor({ timeout: JOB_TIMEOUT });
    await confirm.waitFor({ state: 'hidden' });
    const cancelled = await api.waitForStatus(jobId!, ['cancelled']);
    expect(cancelled.progress).toBeLessThan(100);
    await row.getByLabel('Status: Cancelled').waitFor();
    // no partial or finished output was left behind
    const exists = (p: string) => stat(join(libraryPath, p)).then(() => true, () => false);
    // the partial's name is unique to its attempt: `long-drive.<job8>-a1.partial.mp4`
    const partials = async () => (await readdir(join(libraryPath, 'playback'))).filter((f) => f.startsWith('long-drive.') && f.includes('.partial.'));
    await waitFor('the partial output to be removed', async () => (await partials()).length === 0, { timeoutMs: 30_000 });
    expect(await exists('playback/long-drive.mp4')).toBe(false);
    await page.getByRole('button', { name: 'Close job details' }).click();
  });

  it('retries a failed job from the UI, and it completes', async () => {
    // an honest failure: the clip's file went away before its thumbnail job ran
    const hike = await api.videoByFilename('mountain-hike.mp4');
    const file = join(libraryPath, hike.path);
    await rename(file, `${file}.away`);
    const job = await api.createJob('thumbnail_generate', { videoId: hike.id }, { maxRetries: 0 });
    const failed = await api.waitForStatus(job.id, ['failed']);
    expect(failed.lastError).toMatch(/missing/i);
    await rename(`${file}.away`, file);

    await openJobsPage();
    await choose(page.getByRole('main').getByRole('combobox', { name: 'Status' }), 'Failed');
    await page.getByText('1–1 of 1 jobs').waitFor();
    const row = jobRows().first();
    await row.getByText(/Input file is missing/).waitFor();
    await row.click();
    await expect.poll(jobIdInHash).toBe(job.id);
    const detail = drawer();
    await detail.getByLabel('Status: Failed').waitFor();
    await detail.getByRole('tab', { name: 'Overview' }).click();
    await detail.getByText('Failure', { exact: true }).waitFor();
    await detail.getByText('Input file is missing: inbox/mountain-hike.mp4', { exact: false }).first().waitFor();
    await shots.take(page, 'job-detail-failed');

    await detail.getByRole('button', { name: 'Retry thumbnail_generate job' }).click();
    await detail.getByLabel('Status: Completed').waitFor({ timeout: JOB_TIMEOUT });
    const done = await api.getJob(job.id);
    expect(done.status).toBe('completed');
    expect(done.log).toMatch(/retr/i);
    await page.getByRole('button', { name: 'Close job details' }).click();
    // it left the failed filter's list
    await page.getByText('No jobs match these filters').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
  });

  it('creates a job from a library row action and takes the user to it', async () => {
    await nav('Library').click();
    const row = libraryRows().filter({ hasText: 'sunrise-beach.mp4' });
    await row.waitFor();
    // the thumbnail jobs of the earlier test show in the library
    await row.getByRole('img', { name: 'Thumbnail of sunrise-beach' }).waitFor();

    await row.getByRole('button', { name: 'Actions for sunrise-beach' }).click();
    await page.getByRole('menuitem', { name: 'Re-encode for streaming' }).click();
    const confirm = page.getByRole('dialog', { name: 'Re-encode for streaming' });
    await confirm.getByText('reencode_streaming', { exact: true }).waitFor();
    await confirm.getByRole('button', { name: 'Create job' }).click();

    await expect.poll(jobIdInHash).not.toBeNull();
    const jobId = jobIdInHash()!;
    const created = await api.getJob(jobId);
    expect(created.type).toBe('reencode_streaming');
    const sunrise = await api.videoByFilename('sunrise-beach.mp4');
    expect(created.params.videoId).toBe(sunrise.id);
    const detail = drawer();
    await detail.getByText('reencode_streaming', { exact: true }).waitFor();
    await detail.getByLabel('Status: Completed').waitFor({ timeout: JOB_TIMEOUT });
    await page.getByRole('button', { name: 'Close job details' }).click();

    // its output is a new library video in playback/
    await nav('Library').click();
    await libraryRows().filter({ hasText: 'playback/sunrise-beach.mp4' }).waitFor();
  });

  it('shows the tags of tag_generation jobs in the library, and filters by tag', async () => {
    const portrait = await api.videoByFilename('portrait-interview.mp4');
    const mandelbrot = await api.videoByFilename('mandelbrot-zoom.mp4');
    for (const video of [portrait, mandelbrot]) {
      const job = await api.createJob('tag_generation', { videoId: video.id, sampleCount: 2 });
      await api.waitForStatus(job.id, ['completed'], JOB_TIMEOUT);
    }
    const portraitTags = (await api.getVideo(portrait.id)).tags!.map((t) => t.tag);
    const mandelbrotTags = (await api.getVideo(mandelbrot.id)).tags!.map((t) => t.tag);
    expect(portraitTags).toContain('portrait');
    expect(mandelbrotTags.length).toBeGreaterThan(0);

    await nav('Library').click();
    const tagsOf = (file: string) => libraryRows().filter({ hasText: file }).getByRole('list', { name: 'Tags' }).getByRole('listitem');
    // each row shows its tags as the API has them (most confident first, five at most, then "+N")
    await expect.poll(() => tagsOf('portrait-interview.mp4').allTextContents(), { timeout: UI_TIMEOUT }).toEqual(shownTags(portraitTags));
    await expect.poll(() => tagsOf('mandelbrot-zoom.mp4').allTextContents(), { timeout: UI_TIMEOUT }).toEqual(shownTags(mandelbrotTags));
    await expect(tagsOf('sunrise-beach.mp4').count()).resolves.toBe(0);
    await page.getByText('0 running · 0 waiting').waitFor(); // the live counts have caught up
    await shots.take(page, 'library');

    // the tag filter: typed …
    const tagFilter = page.getByRole('textbox', { name: 'Tag' });
    await tagFilter.fill('portrait');
    await expect.poll(() => libraryRows().allTextContents()).toEqual([expect.stringContaining('portrait-interview.mp4')]);
    await page.getByText('1–1 of 1 videos').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => libraryRows().count()).toBeGreaterThan(2);

    // … or picked on a row: the library shows what GET /videos?tag= has
    const tag = mandelbrotTags[0]!;
    const expected = (await api.listVideos({ tag })).data.map((v) => v.path).sort();
    await libraryRows().filter({ hasText: 'mandelbrot-zoom.mp4' }).getByRole('button', { name: `Tag ${tag} `, exact: false }).first().click();
    await expect.poll(() => tagFilter.inputValue()).toBe(tag);
    await expect.poll(async () => (await libraryRows().locator('[title$=".mp4"]').allTextContents()).sort()).toEqual(expected);
    await shots.take(page, 'library-filtered-by-tag');
    await page.getByRole('button', { name: 'Clear filters' }).click();
  });

  it('shows the system page with the tools, encoders and slots', async () => {
    await nav('System').click();
    await page.getByRole('heading', { name: 'System', level: 2 }).waitFor();
    await page.getByText('No GPU detected').or(page.getByRole('heading', { name: 'GPUs' })).first().waitFor();
    await page.getByText('libx264').first().waitFor();
    await page.getByText(/ffmpeg/i).first().waitFor();
    await shots.take(page, 'system');
  });

  it('a read token sees the jobs but cannot act; an operate token cancels the job it created', async () => {
    const denied = 'Your token (read) cannot do this: it needs operate.';
    const readToken = await api.createToken('grafana', 'read');
    const operator = new RestApi(server.url, await api.createToken('ci-bot', 'operate'));
    // the queue holds still, so the operate token's job waits while both tokens look at it
    await api.pauseQueue();
    const sunrise = await api.videoByFilename('sunrise-beach.mp4');
    const created = await operator.createJob('validate', { videoId: sunrise.id });
    expect((await api.getJob(created.id)).createdBy).toBe('ci-bot');
    const total = (await api.listJobs({ limit: 1 })).pagination.total;
    const tabs: Array<() => Promise<void>> = [];
    let current: Page | null = null;
    try {
      // ---- read: sees, cannot act, sends nothing ----
      const reader = await signedInTab(readToken);
      tabs.push(reader.close);
      const tab = reader.tab;
      current = tab;
      const sent: string[] = [];
      tab.on('request', (r) => {
        if (r.method() !== 'GET' && !r.url().endsWith('/api/media/events/ticket')) sent.push(`${r.method()} ${r.url()}`);
      });
      await tab.getByText('grafana · read').waitFor();
      await tab.getByText(`1–25 of ${total} jobs`).waitFor();
      const row = tab.locator(`tr[data-job-id="${created.id}"]`);
      const waiting = /^Status: (Pending|Queued)$/; // held by the paused queue
      await row.getByLabel(waiting).waitFor();

      const create = tab.getByRole('button', { name: 'Create job' });
      const resume = tab.getByRole('button', { name: 'Resume queue' });
      const rowActions = ['Cancel validate job', 'Pause validate job', 'Change priority validate job'].map((name) => row.getByRole('button', { name }));
      for (const control of [create, resume, ...rowActions]) {
        expect(await control.getAttribute('aria-disabled')).toBe('true');
        expect(await descriptionOf(control)).toBe(denied);
      }
      // the reason shows on hover and on keyboard focus
      const reason = tab.getByRole('tooltip').filter({ hasText: denied });
      await create.hover();
      await reason.waitFor();
      await tab.mouse.move(0, 0);
      await reason.waitFor({ state: 'hidden' });
      // keyboard focus (a tooltip opens on focus-visible): from the row's checkbox, Tab to its first action
      await rowActions[0]!.focus();
      await tab.keyboard.press('Shift+Tab');
      await tab.keyboard.press('Tab');
      await expect.poll(() => rowActions[0]!.evaluate((el) => el.matches(':focus'))).toBe(true);
      await reason.waitFor();
      await shots.take(tab, 'read-token-jobs');
      // pressed anyway (force: past Playwright's own enabled check), they do nothing
      await rowActions[0]!.click({ force: true });
      await create.click({ force: true });
      await expect(tab.getByRole('dialog').count()).resolves.toBe(0);

      // the job detail says who created it; its actions are inert too
      await row.getByRole('button', { name: 'View details of validate job' }).click();
      const readDetail = tab.getByRole('dialog').filter({ has: tab.getByRole('button', { name: 'Close job details' }) });
      await readDetail.getByText('Created by ci-bot').waitFor();
      const detailCancel = readDetail.getByRole('button', { name: 'Cancel validate job' });
      expect(await detailCancel.getAttribute('aria-disabled')).toBe('true');
      await shots.take(tab, 'read-token-job-detail');
      await tab.getByRole('button', { name: 'Close job details' }).click();

      expect(sent).toEqual([]);
      expect(['pending', 'queued']).toContain((await api.getJob(created.id)).status);
      expect((await api.listJobs({ limit: 1 })).pagination.total).toBe(total);
      // still signed in (a 403 would not sign out either; only a refused token does)
      await tab.getByRole('button', { name: 'Sign out' }).waitFor();

      // ---- operate: acts on jobs ----
      const operatorTab = await signedInTab(operator.token);
      tabs.push(operatorTab.close);
      const otab = operatorTab.tab;
      current = otab;
      await otab.getByText('ci-bot · operate').waitFor();
      const orow = otab.locator(`tr[data-job-id="${created.id}"]`);
      await orow.getByLabel(waiting).waitFor();
      await expect.poll(() => otab.getByRole('button', { name: 'Create job' }).getAttribute('aria-disabled')).toBeNull();
      await orow.getByRole('button', { name: 'Cancel validate job' }).click();
      const confirm = otab.getByRole('dialog', { name: 'Cancel jobs?' });
      await confirm.getByRole('button', { name: 'Cancel job' }).click();
      await orow.getByLabel('Status: Cancelled').waitFor();
      const cancelled = await api.waitForStatus(created.id, ['cancelled']);
      expect(cancelled.log).toMatch(/JOB CANCELLED BY ci-bot \(operate\)/);
      await orow.getByRole('button', { name: 'View details of validate job' }).click();
      const detail = otab.getByRole('dialog').filter({ has: otab.getByRole('button', { name: 'Close job details' }) });
      await detail.getByLabel('Status: Cancelled').waitFor();
      await detail.getByText('Created by ci-bot').waitFor();
      await shots.take(otab, 'operate-token-cancelled-job');
      // the read tab follows live: the cancel shows there too
      await row.getByLabel('Status: Cancelled').waitFor();
      expect(sent).toEqual([]);
    } catch (error) {
      if (current) await shots.take(current, 'FAILED-scoped-token-tab').catch(() => {});
      throw error;
    } finally {
      for (const close of tabs) await close().catch(() => {});
      await api.resumeQueue();
    }
  });
});

/**
 * End-to-end, the Jobs page: sign in, scan from the library, page, filter and search the
 * file-centric table (state kept in the URL across a reload), create a re-encode from the form,
 * follow its progress, log and console (one ffmpeg status line after 100 updates), cancel it,
 * retry a failed job, see a burst of jobs created elsewhere arrive live, and a segmented encode's chunk count climb live. The server's ffmpeg redraws its status line every 50 ms here, so 100 updates
 * take seconds, not the default 50 s.
 */
import { readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORRUPT_FILE, LONG_CLIP, SHORT_CLIPS } from './support/clips';
import { JOB_TIMEOUT, setupSuite } from './support/suite';
import { choose, drawer, jobIdInHash, jobRows, jobsTable, nav, openPage, progressOf, libraryRows } from './support/ui';
import { waitFor } from './support/wait';
import { consoleStatusUpdates } from './support/events';
import { expandCreatedBatch } from '../src/shared/contracts/event-frames';

const s = setupSuite({ name: 'jobs', statsPeriod: 0.05 });

describe.sequential('the Jobs page in a browser', () => {
  it('refuses a wrong token with a message, then signs in with the real one and lands on the dashboard', async () => {
    const { page, server, shots } = s;
    await page.goto(server.url);
    const token = page.getByLabel('API token');
    await token.waitFor();
    await token.fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The server refused this token (401 UNAUTHORIZED)', { exact: false }).waitFor();
    await shots.take(page, 'sign-in-refused');
    await token.fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 2 }).waitFor();
    await page.getByText('Nothing is running').waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
  });

  it('scans the inbox from the library page and lists the clips it found', async () => {
    const { page } = s;
    await openPage(page, 'Library');
    await page.getByText('The library is empty').waitFor();
    await page.getByRole('button', { name: 'Scan inbox' }).click();
    // the scan stays on the library page: its status shows there, and the videos as it finds them
    await page.getByRole('region', { name: 'Scan' }).getByText('Scan of inbox/ finished').waitFor({ timeout: JOB_TIMEOUT });
    const expected = [...SHORT_CLIPS, LONG_CLIP].map((c) => c.file);
    for (const file of expected) await libraryRows(page).filter({ hasText: file }).waitFor();
    await expect.poll(() => libraryRows(page).count()).toBe(expected.length + 1);
    await libraryRows(page).filter({ hasText: CORRUPT_FILE }).getByText('Invalid', { exact: true }).waitFor();
  });

  it('pages, filters and searches the jobs by file, and a reload keeps what the URL says', async () => {
    const { page, api, shots } = s;
    const clips = await Promise.all(SHORT_CLIPS.map((c) => api.videoByFilename(c.file)));
    const created = [];
    for (const video of clips) created.push(await api.createJob('thumbnail_generate', { videoId: video.id }));
    for (let i = 0; i < 25; i++) created.push(await api.createJob('validate', { videoId: clips[i % clips.length]!.id }, { priority: 1 + (i % 10) }));
    await Promise.all(created.map((job) => api.waitForStatus(job.id, ['completed'], JOB_TIMEOUT)));
    const total = 1 + created.length;

    await openPage(page, 'Jobs');
    await page.getByText(`1–25 of ${total} jobs`).waitFor();
    await expect.poll(() => jobRows(page).count()).toBe(25);
    // file-centric: rows name their input (title and path)
    await jobRows(page).filter({ hasText: 'inbox/sunrise-beach.mp4' }).first().waitFor();
    await shots.take(page, 'jobs');

    await page.getByRole('button', { name: 'Page 2', exact: true }).click();
    await page.getByText(`26–${total} of ${total} jobs`).waitFor();
    await expect.poll(() => page.url()).toMatch(/#\/jobs\?page=2$/);
    await jobRows(page).last().getByText('Folder inbox/').waitFor(); // the scan, oldest, last

    const main = page.getByRole('main');
    await choose(page, main.getByRole('combobox', { name: /^Type\b/ }), /thumbnail_generate/);
    await page.getByText(`1–${SHORT_CLIPS.length} of ${SHORT_CLIPS.length} jobs`).waitFor();
    await main.getByRole('textbox', { name: 'File' }).fill('portrait');
    await page.getByText('1–1 of 1 jobs').waitFor();
    await jobRows(page).first().getByText('inbox/portrait-interview.mp4').waitFor();
    await expect.poll(() => page.url()).toMatch(/type=thumbnail_generate.*q=portrait/);

    // a reload (or a shared link) shows the same jobs
    await page.reload();
    await page.getByText('1–1 of 1 jobs').waitFor();
    await expect.poll(() => main.getByRole('textbox', { name: 'File' }).inputValue()).toBe('portrait');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByText(`1–25 of ${total} jobs`).waitFor();
  });

  it('creates a re-encode from the form, follows it live, shows one ffmpeg status line after 100 updates, and cancels it', async () => {
    const { page, api, server, libraryPath, shots } = s;
    await openPage(page, 'Jobs');
    await page.getByRole('button', { name: 'Create job' }).first().click();
    const modal = page.getByRole('dialog', { name: 'Create job' });
    await choose(page, modal.getByRole('combobox', { name: /^Type\b/ }), /reencode_streaming/);
    const picker = modal.getByRole('combobox', { name: 'Video' });
    await picker.click();
    await picker.fill('long-dr');
    await expect.poll(() => page.getByRole('option').count()).toBe(1);
    await page.getByRole('option', { name: /long-drive/ }).click();
    await modal.getByRole('textbox', { name: /CRF/ }).waitFor();
    await shots.take(page, 'create-job-modal');
    const updates = consoleStatusUpdates(server.url, server.token);
    await modal.getByRole('button', { name: 'Create reencode_streaming' }).click();
    await modal.waitFor({ state: 'hidden' });

    // the new job opens; it runs
    await expect.poll(() => jobIdInHash(page)).not.toBeNull();
    const jobId = jobIdInHash(page)!;
    const detail = drawer(page);
    await detail.getByLabel('Status: Running').waitFor({ timeout: JOB_TIMEOUT });
    await detail.getByText('inbox/long-drive.mp4').first().waitFor();
    const bar = detail.getByRole('progressbar').first();
    const firstProgress = await progressOf(bar);
    await expect.poll(() => progressOf(bar), { timeout: JOB_TIMEOUT }).toBeGreaterThan(firstProgress);
    // speed and time left, from ffmpeg's own status line
    await expect.poll(() => detail.getByLabel('Speed and time left').textContent(), { timeout: JOB_TIMEOUT }).toMatch(/×.*fps.*ETA/);

    await detail.getByRole('tab', { name: /^Log/ }).click();
    const log = detail.getByRole('log', { name: 'Job log' });
    await log.getByText('Starting re-encode of inbox/long-drive.mp4', { exact: false }).waitFor();

    // the console: a terminal fed the raw stream; after 100 status updates, one status line
    await detail.getByRole('tab', { name: /^Console/ }).click();
    await waitFor('100 ffmpeg status updates', async () => (updates.count(jobId) >= 100 ? true : null), { timeoutMs: JOB_TIMEOUT });
    const terminal = detail.getByRole('log', { name: 'Live console' });
    const statusRows = () => terminal.locator('.xterm-rows > div').filter({ hasText: /frame=.*speed=/ }).count();
    await expect.poll(() => terminal.locator('.xterm-rows').textContent(), { timeout: JOB_TIMEOUT }).toMatch(/frame=.*speed=/);
    expect(await statusRows()).toBe(1);
    expect(updates.count(jobId)).toBeGreaterThanOrEqual(100);
    updates.close();
    await shots.take(page, 'job-detail-console');
    expect((await api.getJob(jobId)).status).toBe('running');

    await detail.getByRole('button', { name: 'Cancel reencode_streaming job' }).click();
    const confirm = page.getByRole('dialog', { name: 'Cancel jobs?' });
    await confirm.getByRole('button', { name: 'Cancel job' }).click();
    await detail.getByLabel('Status: Cancelled').waitFor({ timeout: JOB_TIMEOUT });
    const cancelled = await api.waitForStatus(jobId, ['cancelled']);
    expect(cancelled.progress).toBeLessThan(100);
    const partials = async () => (await readdir(join(libraryPath, 'playback')).catch(() => [])).filter((f) => f.startsWith('long-drive.') && f.includes('.partial.'));
    await waitFor('the partial output to be removed', async () => (await partials()).length === 0, { timeoutMs: 30_000 });
    expect(await stat(join(libraryPath, 'playback/long-drive.mp4')).then(() => true, () => false)).toBe(false);
    await page.getByRole('button', { name: 'Close job details' }).click();
  });

  it('retries a failed job from the UI, and it completes', async () => {
    const { page, api, libraryPath, shots } = s;
    const hike = await api.videoByFilename('mountain-hike.mp4');
    const file = join(libraryPath, hike.path);
    await rename(file, `${file}.away`);
    const job = await api.createJob('thumbnail_generate', { videoId: hike.id }, { maxRetries: 0 });
    expect((await api.waitForStatus(job.id, ['failed'])).lastError).toMatch(/missing/i);
    await rename(`${file}.away`, file);

    await nav(page, 'Jobs').click();
    await choose(page, page.getByRole('main').getByRole('combobox', { name: 'Status' }), 'Failed');
    await page.getByText('1–1 of 1 jobs').waitFor();
    const row = jobRows(page).first();
    await row.getByText(/Input file is missing/).waitFor();
    await row.click();
    await expect.poll(() => jobIdInHash(page)).toBe(job.id);
    const detail = drawer(page);
    await detail.getByRole('tab', { name: 'Overview' }).click();
    await detail.getByText('Failure', { exact: true }).waitFor();
    // the input, as a link to its library row
    await expect.poll(() => detail.getByRole('link', { name: 'mountain-hike' }).getAttribute('href')).toBe('#/library?q=mountain-hike.mp4');
    await shots.take(page, 'job-detail-failed');
    await detail.getByRole('button', { name: 'Retry thumbnail_generate job' }).click();
    await detail.getByLabel('Status: Completed').waitFor({ timeout: JOB_TIMEOUT });
    expect((await api.getJob(job.id)).status).toBe('completed');
    await page.getByRole('button', { name: 'Close job details' }).click();
    await page.getByText('No jobs match these filters').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await jobsTable(page).waitFor();
  });

  it('shows a burst of jobs created elsewhere live, without a reload (batched job.created frames)', async () => {
    const { page, api, server } = s;
    // what the page's own event stream receives: its URL and its job.created.batch frames
    // (a script string: this project's e2e code has no DOM types)
    await page.addInitScript({
      content: `
        window.seenStream = { urls: [], batches: [] };
        const Native = window.EventSource;
        window.EventSource = class extends Native {
          constructor(url, init) {
            super(url, init);
            window.seenStream.urls.push(String(url));
            this.addEventListener('job.created.batch', (m) => window.seenStream.batches.push(JSON.parse(m.data)));
          }
        };`,
    });
    await page.goto(new URL('/#/jobs', server.url).href); // no filter
    await page.reload(); // the script above runs from this load on
    await page.getByRole('heading', { name: 'Jobs', level: 2 }).waitFor();
    const before = (await api.listJobs({ limit: 1 })).pagination.total;
    await page.getByText(`1–${Math.min(25, before)} of ${before} jobs`).waitFor();
    await api.pauseQueue();
    try {
      // one burst: the server commits it in groups and sends each group as one job.created.batch
      // frame ({shared, count, columns}, batch=3), which the page's event stream expands into job.created events
      const hike = await api.videoByFilename('mountain-hike.mp4');
      const burst = await Promise.all(Array.from({ length: 30 }, () => api.createJob('validate', { videoId: hike.id })));
      await page.getByText(`1–25 of ${before + 30} jobs`).waitFor();
      await expect.poll(() => jobRows(page).filter({ hasText: 'inbox/mountain-hike.mp4' }).count()).toBe(25);
      const seen = (await page.evaluate('window.seenStream')) as { urls: string[]; batches: { shared: Record<string, unknown>; count?: number; columns?: Record<string, unknown> }[] };
      expect(seen.urls.at(-1)).toMatch(/[?&]batch=3(&|$)/);
      // the browser got (part of) the burst as batch frames in the column form: the shared fields
      // once, the ids in a column of their shared prefix and the rest packed
      const ids = new Set(burst.map((job) => job.id));
      const batched = seen.batches.filter((b) => expandCreatedBatch(b).every((job) => ids.has(job.id)));
      expect(batched.length).toBeGreaterThan(0);
      for (const b of batched) {
        expect(b.shared).toMatchObject({ type: 'validate', params: { videoId: hike.id } });
        expect(b.columns?.id).toMatchObject({ prefix: expect.any(String), packed: expect.any(String) });
        expect(expandCreatedBatch(b)).toHaveLength(b.count!);
      }
    } finally {
      await api.resumeQueue();
    }
  });

  it("follows a segmented encode's chunks live in its row, without a reload", async () => {
    const { page, api, shots } = s;
    await page.getByRole('heading', { name: 'Jobs', level: 2 }).waitFor(); // the page loaded before the job exists
    const drive = await api.videoByFilename(LONG_CLIP.file);
    // 120 s in chunks of ~20 s (at its keyframes), scaled down so the chunks take seconds
    const job = await api.createJob('transcode', { videoId: drive.id, codec: 'hevc', mode: 'copy', preset: 'ultrafast', maxHeight: 180, segments: { seconds: 20 } });
    const chunks = page.getByRole('button', { name: `Chunks of job ${job.id}` });
    // the parent's live updates carry its parts' count: it appears, and moves, with no reload
    await chunks.waitFor({ timeout: JOB_TIMEOUT });
    const counts = async () => {
      const m = /(\d+)\/(\d+) chunks/.exec((await chunks.textContent()) ?? '');
      return m ? { done: Number(m[1]), total: Number(m[2]) } : null;
    };
    const first = await counts();
    expect(first?.total).toBeGreaterThanOrEqual(4);
    await shots.take(page, 'segmented-encode-chunks');
    // every count the row shows until all chunks are done: with live updates it climbs through the
    // counts between (a page read only at the parent's own changes would jump from the first to the last)
    const seen = new Set<number>();
    const deadline = Date.now() + JOB_TIMEOUT;
    for (let now = await counts(); now?.done !== first!.total && Date.now() < deadline; now = await counts()) {
      if (now) seen.add(now.done);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await counts())?.done).toBe(first!.total);
    const between = [...seen].filter((done) => done > first!.done && done < first!.total);
    expect(between.length, `counts seen: ${[...seen].join(', ')} of ${first!.total}`).toBeGreaterThan(0);
    await api.waitForStatus(job.id, ['completed'], JOB_TIMEOUT);
  });
});

/**
 * End-to-end, the dashboard (the landing page): a tile follows a real encode (its file, type, node,
 * progress, frame rate, speed and ETA moving live), suspends and resumes it and cancels it from the
 * tile; slots per category follow; a failure of the last day shows with its reason; the throughput
 * chart counts what completed.
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_CLIP } from './support/clips';
import { JOB_TIMEOUT, setupSuite } from './support/suite';
import { drawer, progressOf, signIn } from './support/ui';

const s = setupSuite({ name: 'dashboard', statsPeriod: 0.25 });

describe.sequential('the dashboard in a browser', () => {
  it('a tile follows a real encode: file, node, progress, fps, speed and ETA, live', async () => {
    const { page, api, server, shots } = s;
    await api.scanInbox();
    await signIn(page, server.url, server.token);
    await page.getByText('Nothing is running').waitFor();

    const long = await api.videoByFilename(LONG_CLIP.file);
    const job = await api.createJob('reencode_streaming', { videoId: long.id, preset: 'veryslow' });
    const tile = page.getByRole('article', { name: 'Running job: long-drive' });
    await tile.waitFor({ timeout: JOB_TIMEOUT });
    await tile.getByText('inbox/long-drive.mp4').waitFor();
    await tile.getByText('reencode_streaming').waitFor();
    const node = (await api.getJob(job.id)).nodeId!;
    await tile.getByText(node, { exact: true }).waitFor();

    const bar = tile.getByRole('progressbar');
    const first = await progressOf(bar);
    await expect.poll(() => progressOf(bar), { timeout: JOB_TIMEOUT }).toBeGreaterThan(first);
    await expect.poll(() => tile.getByLabel('Speed', { exact: true }).textContent(), { timeout: JOB_TIMEOUT }).toMatch(/\d\.\d\d×/);
    await expect.poll(() => tile.getByLabel('FPS', { exact: true }).textContent()).toMatch(/^\d+$/);
    await expect.poll(() => tile.getByLabel('ETA', { exact: true }).textContent()).toMatch(/\d+s|\d+m/);
    // the slot it holds
    await page.getByLabel('GPU Encode: 1 of 2 slots in use').waitFor();
    await shots.take(page, 'dashboard-running');

    // suspend and resume from the tile: its process stops, and goes on
    await tile.getByRole('button', { name: 'Suspend reencode_streaming job' }).click();
    await tile.getByLabel('Status: Suspended').waitFor();
    expect((await api.getJob(job.id)).status).toBe('suspended');
    await tile.getByRole('button', { name: 'Resume reencode_streaming job' }).click();
    await tile.getByLabel('Status: Running').waitFor();

    // cancel from the tile: confirmed, and the tile goes
    await tile.getByRole('button', { name: 'Cancel reencode_streaming job' }).click();
    await page.getByRole('dialog', { name: 'Cancel jobs?' }).getByRole('button', { name: 'Cancel job' }).click();
    await tile.waitFor({ state: 'detached', timeout: JOB_TIMEOUT });
    await api.waitForStatus(job.id, ['cancelled']);
    await page.getByText('Nothing is running').waitFor();
  });

  it('lists the failures of the last day with their reasons, and counts what completed per hour', async () => {
    const { page, api, libraryPath, shots } = s;
    const hike = await api.videoByFilename('mountain-hike.mp4');
    const file = join(libraryPath, hike.path);
    await rename(file, `${file}.away`);
    const failed = await api.createJob('thumbnail_generate', { videoId: hike.id }, { maxRetries: 0 });
    await api.waitForStatus(failed.id, ['failed']);
    await rename(`${file}.away`, file);
    const done = await api.createJob('thumbnail_generate', { videoId: hike.id });
    await api.waitForStatus(done.id, ['completed']);

    const failures = page.getByRole('region', { name: 'Failures in the last 24 hours' });
    await failures.getByText(/Input file is missing: inbox\/mountain-hike\.mp4/).waitFor();
    // the scan and this thumbnail completed; the failure counts as failed
    await expect.poll(() => page.getByLabel('Jobs ended in the last 24 hours').textContent()).toBe('2 completed · 1 failed');
    await shots.take(page, 'dashboard-failures');

    // a failure opens its job
    await failures.getByRole('button', { name: 'mountain-hike' }).click();
    await drawer(page).getByLabel('Status: Failed').waitFor();
    expect(page.url()).toContain(`#/jobs/${failed.id}`);
  });
});

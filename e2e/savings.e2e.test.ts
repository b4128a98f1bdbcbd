/**
 * End-to-end, library transcoding in the UI (issue #17): a clip transcoded in replace mode through
 * the API (HEVC when the server's ffmpeg has libx265, else H.264 at a high CRF, so it shrinks); the
 * Savings page's total equals the ledger's total from the API and follows a second transcode live;
 * the job's detail shows the size and codec before and after and the checks passed; the library
 * row shows the saving and restores the original, and the row follows. At 1024×700 nothing scrolls
 * sideways.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { SystemInfo } from '../src/shared/contracts/system';
import type { JobResult, Savings } from '../src/shared/contracts/transcode';
import { JOB_TIMEOUT, setupSuite, UI_TIMEOUT } from './support/suite';
import { drawer, expectNoHorizontalScroll, libraryRows, openPage, signIn } from './support/ui';
import type { RestApi } from './support/api';

/** The UI's size format (src/renderer/src/lib/format.ts; the node project cannot import the renderer's files). */
function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

const s = setupSuite({ name: 'savings', longClip: false, viewport: { width: 1024, height: 700 } });
const run = promisify(execFile);

/** hevc when the server's ffmpeg has libx265, else h264 with a CRF high enough that the clip shrinks. */
async function transcodeParams(api: RestApi): Promise<Record<string, unknown>> {
  const info = await api.request<SystemInfo>('GET', '/api/media/system');
  const ffmpeg = info.tools.ffmpeg?.path ?? 'ffmpeg';
  const { stdout } = await run(ffmpeg, ['-hide_banner', '-encoders'], { timeout: 30_000 });
  const base = { mode: 'replace', preset: 'veryfast' };
  return /\blibx265\b/.test(stdout) ? { ...base, codec: 'hevc' } : { ...base, codec: 'h264', crf: 38 };
}

async function transcode(api: RestApi, filename: string, params: Record<string, unknown>): Promise<JobResult> {
  const video = await api.videoByFilename(filename);
  const job = await api.createJob('transcode', { videoId: video.id, ...params });
  await api.waitForStatus(job.id, ['completed'], JOB_TIMEOUT);
  const result = await api.request<JobResult>('GET', `/api/media/jobs/${job.id}/result`);
  expect(result, `${filename}: ${result.reason}`).toMatchObject({ outcome: 'replaced', videoId: video.id });
  return result;
}

const ledgerTotal = async (api: RestApi) => (await api.request<Savings>('GET', '/api/media/savings?groupBy=day')).total;
const totalSaved = (page: Page) => page.getByRole('group', { name: 'Total saved' }).locator('[data-bytes]');

async function openSavings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Savings(\s|$)/ }).click();
  await page.getByRole('heading', { name: 'Savings', level: 2 }).waitFor();
}

describe.sequential('library transcoding in a browser', () => {
  let params: Record<string, unknown> = {};
  let first: JobResult;

  it('shows the Savings total equal to the ledger’s after a replace, and follows the next one live', async () => {
    const { page, api, server, shots } = s;
    await api.scanInbox();
    params = await transcodeParams(api);
    first = await transcode(api, 'sunrise-beach.mp4', params);
    expect(first.bytesOut).not.toBeNull();
    expect(first.checks.length).toBeGreaterThan(0);
    expect(first.checks.every((c) => c.passed)).toBe(true);
    const total = await ledgerTotal(api);
    expect(total.bytesSaved).toBe(first.bytesIn - first.bytesOut!);

    await signIn(page, server.url, server.token);
    await openSavings(page);
    await expect.poll(() => totalSaved(page).getAttribute('data-bytes'), { timeout: UI_TIMEOUT }).toBe(String(total.bytesSaved));
    expect(await totalSaved(page).textContent()).toBe(formatBytes(total.bytesSaved));
    await expect.poll(() => page.getByRole('group', { name: 'Files replaced' }).textContent()).toContain('1');
    await page.getByRole('list', { name: 'Ledger rows by outcome' }).getByLabel('Replaced: 1').waitFor();
    await page.getByRole('table', { name: 'By codec' }).locator(`tr[data-key="${first.codecOut}"]`).waitFor();
    await expectNoHorizontalScroll(page, 'savings 1024x700');
    await shots.take(page, 'savings-after-one-replace');

    // a second transcode while the page is open: the total follows the job's completion event
    const second = await transcode(api, 'mountain-hike.mp4', params);
    const after = await ledgerTotal(api);
    expect(after.bytesSaved).toBe(first.bytesIn - first.bytesOut! + (second.bytesIn - second.bytesOut!));
    await expect.poll(() => totalSaved(page).getAttribute('data-bytes'), { timeout: UI_TIMEOUT }).toBe(String(after.bytesSaved));
    await expect.poll(() => page.getByRole('group', { name: 'Files replaced' }).textContent()).toContain('2');
  });

  it('shows the size and codec before and after and the checks passed in the job’s detail', async () => {
    const { page, shots } = s;
    await page.evaluate((hash) => ((globalThis as unknown as { location: { hash: string } }).location.hash = hash), `#/jobs/${first.jobId}`);
    const card = drawer(page).getByRole('region', { name: 'Transcode result' });
    await card.getByText('Replaced', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => card.getByRole('group', { name: 'Before' }).textContent()).toBe(`Before${formatBytes(first.bytesIn)}${first.codecIn}`);
    expect(await card.getByRole('group', { name: 'After' }).textContent()).toBe(`After${formatBytes(first.bytesOut)}${first.codecOut}`);
    expect(await card.getByText(/^Checks: \d+ of \d+ passed$/).textContent()).toBe(`Checks: ${first.checks.length} of ${first.checks.length} passed`);
    await expectNoHorizontalScroll(page, 'transcode job detail 1024x700');
    await shots.take(page, 'transcode-job-detail');
    await page.getByRole('button', { name: 'Close job details' }).click();
  });

  it('restores the original from the library, and the row follows', async () => {
    const { page, api, shots } = s;
    await openPage(page, 'Library');
    const row = libraryRows(page).filter({ hasText: 'sunrise-beach.mp4' });
    const saving = first.bytesIn - first.bytesOut!;
    await row.getByText(`Saved ${formatBytes(saving)}`, { exact: false }).waitFor({ timeout: UI_TIMEOUT });
    await expectNoHorizontalScroll(page, 'library with a replaced video 1024x700');
    await shots.take(page, 'library-replaced');

    await row.getByRole('button', { name: 'Restore original of sunrise-beach' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore the original?' });
    await dialog.getByRole('button', { name: 'Restore original' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('Original restored').waitFor({ timeout: UI_TIMEOUT });
    expect(await row.getByRole('button', { name: 'Restore original of sunrise-beach' }).count()).toBe(0);

    // the server agrees: the original is back (size and codec) and the ledger gave the saving back
    const video = await api.videoByFilename('sunrise-beach.mp4');
    expect(video).toMatchObject({ sizeBytes: first.bytesIn, videoCodec: first.codecIn });
    const transcodes = await api.request<{ quarantined: unknown; history: Array<{ action: string }> }>('GET', `/api/media/videos/${video.id}/transcodes`);
    expect(transcodes.quarantined).toBeNull();
    expect(transcodes.history[0]?.action).toBe('restored');
    const total = await ledgerTotal(api);
    expect(total.outcomes.restored).toBe(1);
    await shots.take(page, 'library-restored');

    // and the Savings page says so
    await openSavings(page);
    await expect.poll(() => totalSaved(page).getAttribute('data-bytes'), { timeout: UI_TIMEOUT }).toBe(String(total.bytesSaved));
    await page.getByRole('list', { name: 'Ledger rows by outcome' }).getByLabel('Restored: 1').waitFor();
    await expectNoHorizontalScroll(page, 'savings after a restore 1024x700');
  });
});

/**
 * End-to-end, time windows and draining at a small laptop's 1024×700: a window for gpu_encode that
 * is closed now, saved on the Schedules page, holds back a gpu_encode job created through the API,
 * whose waiting reason in the jobs list names the window; the queue drained from the Jobs page
 * says "Drained"; neither page scrolls sideways.
 */
import { describe, expect, it } from 'vitest';
import type { Job, QueueState } from '../src/shared/contracts/job';
import type { ScheduleState } from '../src/shared/contracts/queue-control';
import { SHORT_CLIPS } from './support/clips';
import { setupSuite } from './support/suite';
import { expectNoHorizontalScroll, jobRows, openPage, signIn } from './support/ui';

const s = setupSuite({ name: 'queue-control', viewport: { width: 1024, height: 700 }, longClip: false });

const hhmm = (date: Date) => date.toISOString().slice(11, 16);
/** A window two to three hours from now (UTC): closed now, whatever the time of day. */
const OPENS_AT = new Date(Date.now() + 2 * 3600_000);
const OPENS = hhmm(OPENS_AT);
const CLOSES = hhmm(new Date(Date.now() + 3 * 3600_000));
/** "22:00" today, "Mon 01:07" when it opens after midnight (as the server says it). */
const OPENS_SAID = OPENS_AT.toISOString().slice(0, 10) === new Date().toISOString().slice(0, 10) ? OPENS : `${OPENS_AT.toUTCString().slice(0, 3)} ${OPENS}`;

describe.sequential('time windows and draining, in the browser', () => {
  it('saves a gpu_encode window that is closed now on the Schedules page, and shows the category closed', async () => {
    const { page, server, api, shots } = s;
    await signIn(page, server.url, server.token);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Schedules(\s|$)/ }).click();
    await page.getByRole('heading', { name: 'Schedules', level: 2 }).waitFor();
    await page.getByLabel('Time zone').fill('UTC');
    await page.getByRole('button', { name: 'Add window' }).click();
    const window1 = page.getByRole('group', { name: 'Window 1' });
    await window1.getByRole('textbox', { name: 'Opens' }).fill(OPENS);
    await window1.getByRole('textbox', { name: 'Closes' }).fill(CLOSES);
    await window1.getByText('Suspend what runs', { exact: true }).click();
    await page.getByRole('button', { name: 'Save schedules' }).click();

    const row = page.getByRole('table', { name: 'Categories now' }).getByRole('row', { name: /GPU encode/ });
    await expect.poll(() => row.textContent()).toContain(`closed, opens ${OPENS_SAID}`);
    await expect.poll(() => page.getByRole('table', { name: 'Categories now' }).getByRole('row', { name: /CPU/ }).textContent()).toContain('always open');
    const stored = await api.request<ScheduleState>('GET', '/api/media/schedules');
    expect(stored.settings).toMatchObject({ timeZone: 'UTC', windows: [{ category: 'gpu_encode', start: OPENS, end: CLOSES, atClose: 'suspend' }] });
    expect(stored.categories.gpu_encode).toMatchObject({ open: false });
    await expectNoHorizontalScroll(page, 'Schedules at 1024×700');
    await shots.take(page, 'schedules-1024x700');
  });

  it('a gpu_encode job created through the API waits, and its waiting reason in the jobs list names the window', async () => {
    const { page, api, shots } = s;
    await api.scanInbox();
    const video = await api.videoByFilename(SHORT_CLIPS[0]!.file);
    const created = await api.createJob('reencode_streaming', { videoId: video.id });
    const job: Job = await api.getJob(created.id);
    expect(job.resourceCategory).toBe('gpu_encode');
    const reason = `gpu_encode: outside its window, opens ${OPENS_SAID}`;
    await expect.poll(async () => (await api.getJob(job.id)).waitingReason).toBe(reason);
    await openPage(page, 'Jobs');
    await expect.poll(() => jobRows(page).filter({ hasText: reason }).count()).toBe(1);
    expect((await api.getJob(job.id)).status).toBe('queued');
    await shots.take(page, 'jobs-waiting-for-window');
  });

  it('drains from the Jobs page after confirming, and shows "Drained"; resuming ends it', async () => {
    const { page, api, shots } = s;
    await page.getByRole('button', { name: 'Drain', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Drain the queue?' });
    await dialog.getByRole('button', { name: 'Drain queue' }).click();
    await page.getByText('Drained', { exact: true }).waitFor();
    await expect.poll(() => dialog.count()).toBe(0);
    const queue = await api.request<QueueState>('GET', '/api/media/queue');
    expect(queue.drain?.state).toBe('drained');
    // the waiting job now says the queue is drained
    await expect.poll(() => jobRows(page).filter({ hasText: /Queue is drained/ }).count()).toBe(1);
    await expectNoHorizontalScroll(page, 'Jobs, drained, at 1024×700');
    await shots.take(page, 'jobs-drained');

    await page.getByRole('button', { name: 'Resume queue' }).click();
    await page.getByRole('button', { name: 'Drain', exact: true }).waitFor();
    expect(await page.getByText('Drained', { exact: true }).count()).toBe(0);
    expect((await api.request<QueueState>('GET', '/api/media/queue')).drain?.state).toBe('off');
  });
});

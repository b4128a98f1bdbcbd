/**
 * End-to-end, the Library page's scan and bulk move (#19 item 7): "Scan inbox" stays on the page,
 * shows the scan's status and the videos it registers, and every valid new video has a thumbnail
 * made during the scan; then two videos picked with the multi-select are moved to videos/ by one
 * bulk action (one move_to_library job each). Screenshots at 1024×700 with no sideways scroll.
 */
import { describe, expect, it } from 'vitest';
import { CORRUPT_FILE, SHORT_CLIPS } from './support/clips';
import { JOB_TIMEOUT, setupSuite, UI_TIMEOUT } from './support/suite';
import { expectNoHorizontalScroll, libraryRows, openPage, signIn } from './support/ui';

const s = setupSuite({ name: 'library-scan', longClip: false, viewport: { width: 1024, height: 700 } });
const stem = (file: string) => file.replace(/\.mp4$/, '');

describe.sequential('scanning and moving from the Library page', () => {
  it('scans the inbox without leaving the page: status, arrivals, thumbnails made during the scan', async () => {
    const { page, server, shots } = s;
    await signIn(page, server.url, server.token);
    await openPage(page, 'Library');
    await page.getByText('The library is empty').waitFor();
    await page.getByRole('button', { name: 'Scan inbox' }).click();
    const status = page.getByRole('region', { name: 'Scan' });
    await status.waitFor();
    // still the library (no jump to the job)
    expect(page.url()).toMatch(/#\/library/);
    for (const clip of SHORT_CLIPS) await libraryRows(page).filter({ hasText: clip.file }).waitFor({ timeout: JOB_TIMEOUT });
    await status.getByText('Scan of inbox/ finished').waitFor({ timeout: JOB_TIMEOUT });
    expect(page.url()).toMatch(/#\/library/);
    for (const clip of SHORT_CLIPS) await libraryRows(page).filter({ hasText: clip.file }).getByRole('img', { name: `Thumbnail of ${stem(clip.file)}` }).waitFor({ timeout: UI_TIMEOUT });
    await libraryRows(page).filter({ hasText: CORRUPT_FILE }).getByText('Invalid', { exact: true }).waitFor();
    await expectNoHorizontalScroll(page, 'library after a scan at 1024×700');
    await shots.take(page, 'library-scanned');
    await status.getByRole('button', { name: 'Dismiss the scan status' }).click();
    await status.waitFor({ state: 'detached' });
  });

  it('moves the selected videos to videos/ with one bulk action', async () => {
    const { page, api, shots } = s;
    const picked = SHORT_CLIPS.slice(0, 2).map((c) => c.file);
    for (const file of picked) await page.getByRole('checkbox', { name: `Select ${stem(file)}` }).click();
    const bar = page.getByRole('region', { name: 'Bulk actions' });
    await bar.getByText('2 selected').waitFor();
    await bar.getByRole('button', { name: 'Move to…' }).click();
    await expectNoHorizontalScroll(page, 'library bulk move menu at 1024×700');
    await shots.take(page, 'library-bulk-move');
    await page.getByRole('menuitem', { name: 'videos/' }).click();
    for (const file of picked) {
      await expect.poll(async () => (await api.videoByFilename(file)).path, { timeout: JOB_TIMEOUT }).toBe(`videos/${file}`);
      await libraryRows(page).filter({ hasText: `videos/${file}` }).waitFor({ timeout: UI_TIMEOUT });
    }
    const moves = await api.listJobs({ type: 'move_to_library' });
    expect(moves.data.map((j) => j.status)).toEqual(['completed', 'completed']);
    // the others stayed in the inbox
    expect((await api.videoByFilename(SHORT_CLIPS[2]!.file)).path).toBe(`inbox/${SHORT_CLIPS[2]!.file}`);
  });
});

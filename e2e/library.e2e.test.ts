/**
 * End-to-end, the Library page: a job started from a row's menu takes the user to it, and its
 * output is a new library video that the job's detail links to; tags of tag_generation jobs show
 * on the rows and filter the library (typed, or picked on a row), kept in the URL.
 */
import { describe, expect, it } from 'vitest';
import { JOB_TIMEOUT, setupSuite, UI_TIMEOUT } from './support/suite';
import { drawer, jobIdInHash, libraryRows, openPage, signIn } from './support/ui';

const s = setupSuite({ name: 'library', longClip: false });

/** The tag badges a row shows for these tags (most confident first): five, then "+N". */
function shownTags(tags: readonly string[]): string[] {
  return tags.length > 5 ? [...tags.slice(0, 5), `+${tags.length - 5}`] : [...tags];
}

describe.sequential('the Library page in a browser', () => {
  it('creates a job from a library row action, takes the user to it, and links its output', async () => {
    const { page, api, server } = s;
    await api.scanInbox();
    const sunrise = await api.videoByFilename('sunrise-beach.mp4');
    const thumb = await api.createJob('thumbnail_generate', { videoId: sunrise.id });
    await api.waitForStatus(thumb.id, ['completed']);
    await signIn(page, server.url, server.token);
    await openPage(page, 'Library');
    const row = libraryRows(page).filter({ hasText: 'sunrise-beach.mp4' });
    await row.getByRole('img', { name: 'Thumbnail of sunrise-beach' }).waitFor();

    await row.getByRole('button', { name: 'Actions for sunrise-beach' }).click();
    await page.getByRole('menuitem', { name: 'Re-encode for streaming' }).click();
    const confirm = page.getByRole('dialog', { name: 'Re-encode for streaming' });
    await confirm.getByRole('button', { name: 'Create job' }).click();

    await expect.poll(() => jobIdInHash(page)).not.toBeNull();
    const created = await api.getJob(jobIdInHash(page)!);
    expect(created.type).toBe('reencode_streaming');
    expect(created.params.videoId).toBe(sunrise.id);
    const detail = drawer(page);
    await detail.getByLabel('Status: Completed').waitFor({ timeout: JOB_TIMEOUT });
    // its output, a library video, linked from the detail
    const output = detail.getByRole('link', { name: 'sunrise-beach' }).last();
    await expect.poll(() => detail.getByText('playback/sunrise-beach.mp4').count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    await output.click();
    await expect.poll(() => page.url()).toMatch(/#\/library\?q=sunrise-beach\.mp4$/);
    await libraryRows(page).filter({ hasText: 'playback/sunrise-beach.mp4' }).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
  });

  it('shows the tags of tag_generation jobs in the library, and filters by tag', async () => {
    const { page, api, shots } = s;
    const portrait = await api.videoByFilename('portrait-interview.mp4');
    const mandelbrot = await api.videoByFilename('mandelbrot-zoom.mp4');
    for (const video of [portrait, mandelbrot]) {
      const job = await api.createJob('tag_generation', { videoId: video.id, sampleCount: 2 });
      await api.waitForStatus(job.id, ['completed'], JOB_TIMEOUT);
    }
    const portraitTags = (await api.getVideo(portrait.id)).tags!.map((t) => t.tag);
    const mandelbrotTags = (await api.getVideo(mandelbrot.id)).tags!.map((t) => t.tag);
    expect(portraitTags).toContain('portrait');

    await openPage(page, 'Library');
    const tagsOf = (file: string) => libraryRows(page).filter({ hasText: file }).getByRole('list', { name: 'Tags' }).getByRole('listitem');
    await expect.poll(() => tagsOf('portrait-interview.mp4').allTextContents(), { timeout: UI_TIMEOUT }).toEqual(shownTags(portraitTags));
    await expect.poll(() => tagsOf('mandelbrot-zoom.mp4').allTextContents(), { timeout: UI_TIMEOUT }).toEqual(shownTags(mandelbrotTags));
    await shots.take(page, 'library');

    const tagFilter = page.getByRole('textbox', { name: 'Tag' });
    await tagFilter.fill('portrait');
    await expect.poll(() => libraryRows(page).allTextContents()).toEqual([expect.stringContaining('portrait-interview.mp4')]);
    await expect.poll(() => page.url()).toMatch(/tag=portrait/);
    await page.getByRole('button', { name: 'Clear filters' }).click();

    const tag = mandelbrotTags[0]!;
    const expected = (await api.listVideos({ tag })).data.map((v) => v.path).sort();
    await libraryRows(page).filter({ hasText: 'mandelbrot-zoom.mp4' }).getByRole('button', { name: `Tag ${tag} `, exact: false }).first().click();
    await expect.poll(() => tagFilter.inputValue()).toBe(tag);
    await expect.poll(async () => (await libraryRows(page).locator('[title$=".mp4"]').allTextContents()).sort()).toEqual(expected);
    await shots.take(page, 'library-filtered-by-tag');
  });
});

/**
 * End-to-end, the layout at a small laptop's 1024×700 and a desktop's 1920×1080, in both themes:
 * no page scrolls sideways (`scrollWidth <= clientWidth`), the jobs table's actions stay on screen,
 * the navigation folds away and comes back, and the theme chosen is remembered across a reload.
 * A full-page screenshot of every page at both sizes in both themes lands in test-results/e2e.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LONG_CLIP } from './support/clips';
import { JOB_TIMEOUT, setupSuite } from './support/suite';
import { drawer, expectNoHorizontalScroll, jobsTable, nav, openPage, signIn, type PageName } from './support/ui';

const s = setupSuite({ name: 'layout', viewport: { width: 1024, height: 700 } });

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1920, height: 1080 },
] as const;
const THEMES = ['Light', 'Dark'] as const;

/** Every page the navigation offers (pages other parts of the app add are checked too). */
async function pageNames(page: Page): Promise<string[]> {
  const links = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link');
  // a link's name may go on with a count ("Jobs 1 running"): the page's name is its first word(s) before it
  return (await links.allTextContents()).map((text) => text.replace(/\d+$/, '').trim());
}

async function chooseTheme(page: Page, theme: (typeof THEMES)[number]) {
  await page.getByRole('button', { name: /^Colour theme:/ }).click();
  await page.getByRole('menuitem', { name: theme }).click();
  await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe(theme.toLowerCase());
}

describe.sequential('the layout at 1024×700 and 1920×1080, light and dark', () => {
  it('has a running job, a failure and a library to show', async () => {
    const { page, api, server } = s;
    await api.scanInbox();
    const long = await api.videoByFilename(LONG_CLIP.file);
    const job = await api.createJob('reencode_streaming', { videoId: long.id, preset: 'veryslow' });
    await api.waitForStatus(job.id, ['running'], JOB_TIMEOUT);
    const bad = await api.createJob('validate', { videoId: (await api.videoByFilename('corrupt-upload.mp4')).id }, { maxRetries: 0 });
    await api.waitForStatus(bad.id, ['failed', 'completed'], JOB_TIMEOUT);
    await signIn(page, server.url, server.token);
  });

  for (const theme of THEMES) {
    for (const size of SIZES) {
      it(`${theme.toLowerCase()} at ${size.width}×${size.height}: every page fits, nothing scrolls sideways`, async () => {
        const { page, shots } = s;
        await page.setViewportSize(size);
        await chooseTheme(page, theme);
        const tag = `${size.width}x${size.height}-${theme.toLowerCase()}`;
        const names = await pageNames(page);
        expect(names).toEqual(expect.arrayContaining(['Dashboard', 'Jobs', 'Library', 'System']));
        for (const name of names) {
          await openPage(page, name as PageName);
          if (name === 'Dashboard') await page.getByRole('article', { name: /Running job/ }).first().waitFor({ timeout: JOB_TIMEOUT });
          if (name === 'Jobs') await jobsTable(page).locator('tbody tr').first().waitFor();
          if (name === 'Library') await page.getByRole('table', { name: 'Library videos' }).locator('tbody tr').first().waitFor();
          if (name === 'System') await page.getByText(/ffmpeg/i).first().waitFor();
          await expectNoHorizontalScroll(page, `${name} ${tag}`);
          await shots.take(page, `${name.toLowerCase()}-${tag}`);
        }
        // the jobs table's actions are on screen, not scrolled away
        await openPage(page, 'Jobs');
        const actions = jobsTable(page).getByRole('columnheader', { name: 'Actions' });
        const box = await actions.boundingBox();
        expect(box && box.x + box.width).toBeLessThanOrEqual(size.width);
        // a job's detail and the create form fit too
        await jobsTable(page).locator('tbody tr').first().click();
        await drawer(page).getByRole('tab', { name: 'Overview' }).waitFor();
        await expectNoHorizontalScroll(page, `job detail ${tag}`);
        await shots.take(page, `job-detail-${tag}`);
        await page.getByRole('button', { name: 'Close job details' }).click();
        await page.getByRole('button', { name: 'Create job' }).first().click();
        const modal = page.getByRole('dialog', { name: 'Create job' });
        await modal.getByRole('combobox', { name: /^Type\b/ }).waitFor();
        await expectNoHorizontalScroll(page, `create job ${tag}`);
        await shots.take(page, `create-job-${tag}`);
        await modal.getByRole('button', { name: 'Cancel' }).click();
        await modal.waitFor({ state: 'hidden' });
      });
    }
  }

  it('folds the navigation away and back, and remembers the theme across a reload', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 1024, height: 700 });
    // folded: the page takes the whole width (the navigation slides out of view)
    const mainLeft = async () => (await page.getByRole('main').getByRole('heading', { level: 2 }).first().boundingBox())?.x ?? -1;
    expect(await mainLeft()).toBeGreaterThan(150);
    await page.getByRole('button', { name: 'Hide navigation' }).click();
    await expect.poll(mainLeft).toBeLessThan(20);
    await expectNoHorizontalScroll(page, 'jobs, navigation folded');
    await page.reload();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await expect.poll(mainLeft).toBeLessThan(20); // still folded after the reload
    await page.getByRole('button', { name: 'Show navigation' }).click();
    await expect.poll(mainLeft).toBeGreaterThan(150);
    await nav(page, 'Jobs').click();
    await page.getByRole('heading', { name: 'Jobs', level: 2 }).waitFor();
  });
});

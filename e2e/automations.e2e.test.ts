/**
 * End-to-end, the Automations page: the "Streaming-ready library" pipeline is created from its
 * template in the UI and switched on; its dry run lists every library video (would run, or skipped
 * and why); a run started from a dry-run row on a clip that is not streaming-ready shows live in the
 * run history, its steps' jobs appearing as the run moves on (validate, then the re-encode), each a
 * link to the job's detail. The page never scrolls sideways at 1024×700.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../src/shared/contracts/pipeline';
import { JOB_TIMEOUT, setupSuite } from './support/suite';
import { drawer, expectNoHorizontalScroll, jobIdInHash, signIn } from './support/ui';

const s = setupSuite({ name: 'automations', longClip: false });

/** Not streaming-ready (MPEG-4 Part 2 in Matroska): the template's re-encode step holds for it. */
const OLD_CLIP = 'old-camera.mkv';
const TEMPLATE = 'Streaming-ready library';

async function generateOldClip(dir: string): Promise<void> {
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=500'];
  args.push('-c:v', 'mpeg4', '-c:a', 'aac', '-t', '2', join(dir, OLD_CLIP));
  await promisify(execFile)('ffmpeg', args, { timeout: 60_000 });
}

const automationsLink = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Automations', exact: true });
const pipelineSection = (page: Page) => page.getByRole('region', { name: `Pipeline ${TEMPLATE}` });

describe.sequential('the Automations page in a browser', () => {
  it('creates the streaming-ready pipeline from its template and switches it on', async () => {
    const { page, api, server, libraryPath, shots } = s;
    await generateOldClip(join(libraryPath, 'inbox'));
    await api.scanInbox();
    await signIn(page, server.url, server.token);
    await automationsLink(page).click();
    await page.getByRole('heading', { name: 'Automations', level: 2 }).waitFor();
    await expect.poll(() => page.url()).toMatch(/#\/automations/);
    await page.getByText('No pipelines yet').waitFor();
    // the watched folders say how the library is watched (off in this suite: MEDIA_WATCH=0)
    await page.getByRole('region', { name: 'Watched folders' }).getByRole('switch', { name: 'Watch the library' }).waitFor();

    await page.getByRole('button', { name: 'New from template' }).click();
    const dialog = page.getByRole('dialog', { name: 'New pipeline from a template' });
    await dialog.getByRole('radio', { name: TEMPLATE }).click();
    await expect.poll(() => dialog.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe(TEMPLATE);
    await shots.take(page, 'new-from-template');
    await dialog.getByRole('button', { name: 'Create pipeline' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByRole('table', { name: 'Pipelines' }).locator('tbody tr').filter({ hasText: TEMPLATE });
    await row.waitFor();
    const toggle = row.getByRole('switch', { name: `Enabled: ${TEMPLATE}` });
    expect(await toggle.isChecked()).toBe(false);
    // the input of a Mantine switch is drawn by its label: the user clicks that
    await toggle.locator('xpath=..').click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    const stored = await api.request<{ data: Pipeline[] }>('GET', '/api/media/pipelines');
    expect(stored.data).toEqual([expect.objectContaining({ name: TEMPLATE, enabled: true, version: 2, trigger: { type: 'file_added' } })]);

    // the editor shows the template's document as a form: its trigger, rules and steps
    const section = pipelineSection(page);
    await expect.poll(() => section.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe(TEMPLATE);
    await section.getByRole('group', { name: 'Step reencode', exact: true }).waitFor();
    await section.getByRole('group', { name: 'Step original_thumbnail', exact: true }).waitFor();
    await shots.take(page, 'pipeline-editor');
  });

  it('dry-runs it over the library: every video would run, none is touched', async () => {
    const { page, api } = s;
    const jobsBefore = (await api.listJobs({ limit: 1 })).pagination.total;
    const section = pipelineSection(page);
    await section.getByRole('button', { name: 'Dry run' }).first().click();
    const table = section.getByRole('table', { name: 'Dry run' });
    await table.waitFor();
    const videos = (await api.listVideos({ limit: 100 })).data;
    await section.getByText(`${videos.length} videos evaluated`, { exact: false }).waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(videos.length);
    const old = table.locator('tbody tr').filter({ hasText: `inbox/${OLD_CLIP}` });
    await old.getByText('Would run').waitFor();
    await old.getByText(/^validate/).waitFor();
    await table.locator('tbody tr').filter({ hasText: 'inbox/sunrise-beach.mp4' }).getByText('Would run').waitFor();
    // a dry run creates no job
    expect((await api.listJobs({ limit: 1 })).pagination.total).toBe(jobsBefore);
    await s.shots.take(page, 'dry-run');
  });

  it('runs it on one clip from its dry-run row; the run and its jobs appear live, linked to the jobs', async () => {
    const { page, api } = s;
    const section = pipelineSection(page);
    const old = section.getByRole('table', { name: 'Dry run' }).locator('tbody tr').filter({ hasText: `inbox/${OLD_CLIP}` });
    await old.getByRole('button', { name: `Run on inbox/${OLD_CLIP}` }).click();

    // the run history opens with the new run; its steps' jobs appear as the run moves on
    const run = section.getByRole('article', { name: `Run on inbox/${OLD_CLIP}` });
    await run.waitFor();
    const validate = run.getByRole('link', { name: 'Open the validate job of step validate' });
    await validate.waitFor({ timeout: JOB_TIMEOUT });
    const reencode = run.getByRole('link', { name: 'Open the reencode_streaming job of step reencode' });
    await reencode.waitFor({ timeout: JOB_TIMEOUT });
    await run.locator('tr[data-step-id="validate"]').getByLabel('Status: Completed').waitFor({ timeout: JOB_TIMEOUT });
    await s.shots.take(page, 'run-history');

    // the jobs are ordinary jobs of the run, the re-encode a child of the validation
    const validateId = (await validate.getAttribute('href'))!.replace('#/jobs/', '');
    const reencodeId = (await reencode.getAttribute('href'))!.replace('#/jobs/', '');
    const [validateJob, reencodeJob] = await Promise.all([api.getJob(validateId), api.getJob(reencodeId)]);
    const runId = await run.getAttribute('data-run-id');
    expect(validateJob).toMatchObject({ type: 'validate', pipelineRunId: runId, status: 'completed' });
    expect(reencodeJob).toMatchObject({ type: 'reencode_streaming', pipelineRunId: runId, parentJobId: validateId });

    // a job link opens the job's detail on the Jobs page
    await reencode.click();
    await expect.poll(() => jobIdInHash(page)).toBe(reencodeId);
    await drawer(page).getByText('reencode_streaming', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Close job details' }).click();
  });

  it('never scrolls sideways at 1024×700: the list, the editor, the dry run and the runs', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 1024, height: 700 });
    await automationsLink(page).click();
    const section = pipelineSection(page);
    await section.getByRole('tab', { name: 'Editor' }).click();
    await section.getByRole('group', { name: 'Step reencode', exact: true }).waitFor();
    await expectNoHorizontalScroll(page, 'automations, editor');
    // the nested rule groups of a step's `if` are the widest part of the form
    await section.getByRole('group', { name: 'Step reencode condition', exact: true }).waitFor();
    await section.getByRole('tab', { name: 'JSON (advanced)' }).click();
    await section.getByRole('textbox', { name: 'Pipeline JSON' }).waitFor();
    await expectNoHorizontalScroll(page, 'automations, JSON');
    await section.getByRole('tab', { name: 'Form' }).click();
    await section.getByRole('tab', { name: 'Dry run' }).click();
    await section.getByRole('table', { name: 'Dry run' }).waitFor();
    await expectNoHorizontalScroll(page, 'automations, dry run');
    await section.getByRole('tab', { name: /^Runs/ }).click();
    await section.getByRole('article', { name: `Run on inbox/${OLD_CLIP}` }).waitFor();
    await expectNoHorizontalScroll(page, 'automations, runs');
    await s.shots.take(page, 'automations-1024');
  });
});

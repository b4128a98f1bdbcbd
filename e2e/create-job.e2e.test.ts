/**
 * End-to-end, the create-job form: every job type of the catalog is created from the form alone
 * (the type picked from its list, videos from the picker, the rest left at the schema's defaults),
 * never touching the JSON tab, and the server accepts each. The queue is paused meanwhile, so the
 * jobs wait and are cancelled at the end (running them is other suites' business). Also: the JSON
 * tab shows a syntax error at its line, and Escape does not throw away a form with a video picked.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isSegmentChild, JOB_TYPE_CATALOG, JOB_TYPES, type JobType } from '../src/shared/domain/job-types';
import { setupSuite } from './support/suite';
import { choose, drawer, jobIdInHash, openPage, signIn } from './support/ui';

const s = setupSuite({ name: 'create-job', longClip: false });

/** Every type a user can create: the parts of a segmented encode are made by their parent only (409/400 by hand). */
const CREATABLE_TYPES = JOB_TYPES.filter((t) => !isSegmentChild(t));

/** The type's video picker (its label) and how many videos it needs picked. */
function videosNeeded(type: JobType): { label: 'Video' | 'Videos'; count: number } | null {
  const schema = z.toJSONSchema(JOB_TYPE_CATALOG[type].paramsSchema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { minItems?: number }> };
  if (schema.properties?.videoIds) return { label: 'Videos', count: schema.properties.videoIds.minItems ?? 1 };
  return schema.properties?.videoId ? { label: 'Video', count: 1 } : null;
}

describe.sequential('creating jobs from the forms', () => {
  it(`creates each of the ${CREATABLE_TYPES.length} job types a user can create from its form, without the JSON tab`, async () => {
    const { page, api, server, shots } = s;
    await api.scanInbox();
    await api.pauseQueue();
    await signIn(page, server.url, server.token);
    await openPage(page, 'Jobs');
    const created: Array<{ type: JobType; id: string }> = [];
    for (const type of CREATABLE_TYPES) {
      await page.getByRole('button', { name: 'Create job' }).first().click();
      const modal = page.getByRole('dialog', { name: 'Create job' });
      await modal.waitFor();
      // the type list does not open by itself
      expect(await page.getByRole('listbox').count()).toBe(0);
      await choose(page, modal.getByRole('combobox', { name: /^Type\b/ }), new RegExp(`\\(${type}\\)`));
      await expect.poll(() => modal.getByRole('combobox', { name: /^Type\b/ }).inputValue()).toContain(`(${type})`);
      const needed = videosNeeded(type);
      if (needed) {
        const picker = modal.getByRole('combobox', { name: needed.label });
        for (let i = 0; i < needed.count; i++) {
          // a multiple picker stays open after a pick (the picked one leaves the list)
          if ((await page.getByRole('option', { name: /\.mp4/ }).count()) === 0) await picker.click();
          await page.getByRole('option', { name: /\.mp4/ }).first().click();
        }
        await page.keyboard.press('Escape'); // closes the dropdown, not the form
        await modal.waitFor();
      }
      if (type === 'compile_quad') await shots.take(page, 'create-compile-quad');
      await modal.getByRole('button', { name: `Create ${type}` }).click();
      await modal.waitFor({ state: 'hidden' });
      await expect.poll(() => jobIdInHash(page)).not.toBeNull();
      created.push({ type, id: jobIdInHash(page)! });
      await drawer(page).getByText(type, { exact: true }).first().waitFor();
      await page.getByRole('button', { name: 'Close job details' }).click();
      await expect.poll(() => jobIdInHash(page)).toBeNull();
    }
    const jobs = await Promise.all(created.map((c) => api.getJob(c.id)));
    expect(jobs.map((j) => j.type)).toEqual([...CREATABLE_TYPES]);
    for (const job of jobs) expect(['pending', 'queued'], job.type).toContain(job.status);
    for (const job of jobs) await api.cancelJob(job.id);
    await api.resumeQueue();
  });

  it('the JSON tab shows a syntax error at its line, and sends nothing', async () => {
    const { page, api, shots } = s;
    const before = (await api.listJobs({ limit: 1 })).pagination.total;
    await page.getByRole('button', { name: 'Create job' }).first().click();
    const modal = page.getByRole('dialog', { name: 'Create job' });
    await modal.getByRole('tab', { name: 'JSON (advanced)' }).click();
    await modal.getByRole('textbox', { name: 'Parameters (JSON)' }).fill('{\n  "directoryType": "inbox",\n  "skipExisting": tru\n}');
    await modal.getByRole('button', { name: 'Create scan' }).click();
    await modal.getByText(/Line 3, column 19: Expected a value/).waitFor();
    await shots.take(page, 'create-job-json-error');
    expect((await api.listJobs({ limit: 1 })).pagination.total).toBe(before);
    await modal.getByRole('button', { name: 'Cancel' }).click();
    await modal.waitFor({ state: 'hidden' });
  });
});

/**
 * End-to-end, the Settings page: a slot limit changed in the UI changes the running limits at once
 * (a job that waited for a slot starts), and the export → import round trip through the REST API
 * reproduces the settings.
 */
import { describe, expect, it } from 'vitest';
import { setupSuite, UI_TIMEOUT } from './support/suite';
import { openPage, signIn } from './support/ui';

const s = setupSuite({ name: 'settings', longClip: false });

describe.sequential('the Settings page in a browser', () => {
  it('changes the running limits from the form, without a restart', async () => {
    const { page, api, server, shots } = s;
    await signIn(page, server.url, server.token);
    await openPage(page, 'Settings');
    const cpu = page.getByRole('textbox', { name: 'CPU jobs' });
    await cpu.fill('3');
    await page.getByRole('textbox', { name: 'Keep failed jobs' }).fill('45');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(async () => (await api.request<{ limits: Record<string, number> }>('GET', '/api/media/queue')).limits.cpu, { timeout: UI_TIMEOUT }).toBe(3);
    const saved = await api.request<{ settings: { retainFailedDays: number }; source: string }>('GET', '/api/media/settings');
    expect(saved).toMatchObject({ source: 'stored', settings: { retainFailedDays: 45 } });
    await shots.take(page, 'settings');

    const exported = await api.request<Record<string, unknown>>('GET', '/api/media/settings/export');
    expect(exported).toMatchObject({ format: 'media-job-control/settings', settings: { limits: { cpu: 3 }, retainFailedDays: 45 } });
    const imported = await api.request<{ settings: { settings: { limits: { cpu: number } } } }>('POST', '/api/media/settings/import', { ...exported, settings: { limits: { cpu: 4 } } });
    expect(imported.settings.settings.limits.cpu).toBe(4);
    await page.reload();
    await expect.poll(() => page.getByRole('textbox', { name: 'CPU jobs' }).inputValue(), { timeout: UI_TIMEOUT }).toBe('4');
  });
});

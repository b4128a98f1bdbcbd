/**
 * End-to-end, scoped tokens in tabs of their own: a read token sees everything and can act on
 * nothing (every action inert, saying why, and nothing sent); an operate token cancels a job it
 * created, and the job says who created it; the read tab follows live.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { RestApi } from './support/api';
import { setupSuite, UI_TIMEOUT } from './support/suite';
import { descriptionOf, openPage, signIn } from './support/ui';

const s = setupSuite({ name: 'access', longClip: false });

/** A tab of its own (its own sessionStorage) signed in with `token`, on the Jobs page. */
async function signedInTab(token: string): Promise<{ tab: Page; close: () => Promise<void> }> {
  const own = await s.browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  own.setDefaultTimeout(UI_TIMEOUT);
  const tab = await own.newPage();
  tab.on('pageerror', (e) => s.browserErrors.push(`page error: ${e.message}`));
  await signIn(tab, s.server.url, token);
  await openPage(tab, 'Jobs');
  return { tab, close: () => own.close() };
}

describe.sequential('scoped tokens in a browser', () => {
  it('a read token sees the jobs but cannot act; an operate token cancels the job it created', async () => {
    const { api, server, shots } = s;
    await api.scanInbox();
    const denied = 'Your token (read) cannot do this: it needs operate.';
    const readToken = await api.createToken('grafana', 'read');
    const operator = new RestApi(server.url, await api.createToken('ci-bot', 'operate'));
    await api.pauseQueue(); // the operate token's job waits while both tokens look at it
    const sunrise = await api.videoByFilename('sunrise-beach.mp4');
    const created = await operator.createJob('validate', { videoId: sunrise.id });
    expect((await api.getJob(created.id)).createdBy).toBe('ci-bot');
    const tabs: Array<() => Promise<void>> = [];
    try {
      const reader = await signedInTab(readToken);
      tabs.push(reader.close);
      const tab = reader.tab;
      const sent: string[] = [];
      tab.on('request', (r) => {
        if (r.method() !== 'GET' && !r.url().endsWith('/api/media/events/ticket')) sent.push(`${r.method()} ${r.url()}`);
      });
      await tab.getByText('grafana · read').waitFor();
      const row = tab.locator(`tr[data-job-id="${created.id}"]`);
      const waiting = /^Status: (Pending|Queued)$/;
      await row.getByLabel(waiting).waitFor();
      const create = tab.getByRole('button', { name: 'Create job' });
      const rowActions = ['Cancel validate job', 'Pause validate job', 'Change priority validate job'].map((name) => row.getByRole('button', { name }));
      for (const control of [create, tab.getByRole('button', { name: 'Resume queue' }), ...rowActions]) {
        expect(await control.getAttribute('aria-disabled')).toBe('true');
        expect(await descriptionOf(control)).toBe(denied);
      }
      const reason = tab.getByRole('tooltip').filter({ hasText: denied });
      await create.hover();
      await reason.waitFor();
      await shots.take(tab, 'read-token-jobs');
      await rowActions[0]!.click({ force: true });
      await create.click({ force: true });
      await expect(tab.getByRole('dialog').count()).resolves.toBe(0);
      await row.getByRole('button', { name: 'View details of validate job' }).click();
      await tab.getByText('Created by ci-bot').waitFor();
      await tab.getByRole('button', { name: 'Close job details' }).click();
      expect(sent).toEqual([]);

      const operatorTab = await signedInTab(operator.token);
      tabs.push(operatorTab.close);
      const otab = operatorTab.tab;
      await otab.getByText('ci-bot · operate').waitFor();
      const orow = otab.locator(`tr[data-job-id="${created.id}"]`);
      await orow.getByLabel(waiting).waitFor();
      await orow.getByRole('button', { name: 'Cancel validate job' }).click();
      await otab.getByRole('dialog', { name: 'Cancel jobs?' }).getByRole('button', { name: 'Cancel job' }).click();
      await orow.getByLabel('Status: Cancelled').waitFor();
      expect((await api.waitForStatus(created.id, ['cancelled'])).log).toMatch(/JOB CANCELLED BY ci-bot \(operate\)/);
      await shots.take(otab, 'operate-token-cancelled-job');
      // the read tab follows live
      await row.getByLabel('Status: Cancelled').waitFor();
      expect(sent).toEqual([]);
    } finally {
      for (const close of tabs) await close().catch(() => {});
      await api.resumeQueue();
    }
  });
});

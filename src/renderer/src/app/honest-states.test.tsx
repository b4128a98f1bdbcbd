// @vitest-environment jsdom
/**
 * Honest states: while the live stream is down every action is inert and says why, the page says
 * since when, and once it is back it says when it reconnected; a waiting reason "N of M slots busy"
 * names the suspended job that holds a slot.
 */
import '../testing/setup';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { OFFLINE_REASON } from '../components/Guarded';
import { explainWaiting } from '../features/jobs/suspended-slots';
import { JobsPage } from '../features/jobs/JobsPage';
import { createFakeClient, EMPTY_STATS, makeJob, pagedJobs } from '../testing/fake-client';
import { renderUi } from '../testing/render';
import { storesAs } from '../testing/stores';
import { ConnectionBanner } from './ConnectionBanner';

const QUEUE = { paused: false, pausedCategories: [], limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: null };
const SUSPENDED = makeJob({ status: 'suspended', type: 'validate', resourceCategory: 'cpu', vramRequired: 0, input: { videoId: 'v-1', title: 'beach.mp4', path: 'inbox/beach.mp4', durationSeconds: 60 } });
const RUNNING = makeJob({ status: 'running', type: 'scan', resourceCategory: 'cpu', vramRequired: 0 });
const WAITING = makeJob({ status: 'queued', type: 'validate', resourceCategory: 'cpu', vramRequired: 0, waitingReason: 'cpu: 2 of 2 slots busy' });

function setup() {
  const jobs = [SUSPENDED, RUNNING, WAITING];
  const client = createFakeClient({
    listJobs: pagedJobs(() => jobs),
    getStats: () => ({ ...EMPTY_STATS, running: 1, suspended: 1, queued: 1 }),
    getQueueState: () => QUEUE,
  });
  const stores = storesAs('admin', client);
  return { client, stores };
}

describe('while the live connection is down', () => {
  it('disables every action with the reason, says since when, and says when it reconnected', async () => {
    const user = userEvent.setup();
    const { client, stores } = setup();
    stores.start();
    renderUi(
      <>
        <ConnectionBanner />
        <JobsPage jobId={null} onOpenJob={() => {}} />
      </>,
      stores,
    );
    const create = await screen.findByRole('button', { name: 'Create job' });
    expect(create).not.toHaveAttribute('aria-disabled');

    act(() => client.status('reconnecting'));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Create job' })).toHaveAttribute('aria-disabled', 'true'));
    expect(screen.getByRole('button', { name: 'Create job' })).toHaveAccessibleDescription(OFFLINE_REASON);
    const table = screen.getByRole('table', { name: 'Jobs' });
    for (const button of within(table).queryAllByRole('button').filter((b) => b.dataset.operation)) expect(button).toHaveAttribute('aria-disabled', 'true');
    const banner = screen.getByRole('alert');
    expect(banner).toHaveTextContent('Connection lost: reconnecting…');
    expect(banner).toHaveTextContent(/Since \d/);
    // pressing an inert control sends nothing
    const before = client.calls.length;
    await user.click(screen.getByRole('button', { name: 'Create job' }));
    expect(screen.queryByRole('dialog', { name: 'Create job' })).not.toBeInTheDocument();
    expect(client.calls.length).toBe(before);

    act(() => client.status('live'));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Create job' })).not.toHaveAttribute('aria-disabled'));
    expect(screen.getByText(/Reconnected at \d/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/Reconnected at/)).not.toBeInTheDocument();
  });
});

describe('a slot held by a suspended job', () => {
  it('is named in the waiting reason of the jobs of its category', async () => {
    const { stores } = setup();
    stores.start();
    renderUi(<JobsPage jobId={null} onOpenJob={() => {}} />, stores);
    expect(await screen.findByText('cpu: 2 of 2 slots busy — 1 held by a suspended job (beach.mp4): resume or cancel it to free the slot')).toBeInTheDocument();
  });

  it('words only the slot reasons of a category with suspended jobs', () => {
    const suspended = { cpu: ['a.mp4', 'b.mp4'] };
    expect(explainWaiting('gpu_encode: 2 of 2 slots busy', suspended)).toBe('gpu_encode: 2 of 2 slots busy');
    expect(explainWaiting('Queue is paused', suspended)).toBe('Queue is paused');
    expect(explainWaiting('cpu: 5 of 5 slots busy', suspended)).toBe('cpu: 5 of 5 slots busy — 2 held by suspended jobs (a.mp4, b.mp4): resume or cancel them to free the slot');
    expect(explainWaiting(null, suspended)).toBeNull();
  });
});

// @vitest-environment jsdom
import '../../testing/setup';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../../shared/contracts/job';
import { createAppStores } from '../../stores/app-stores';
import { ApiError } from '../../api/api-error';
import { createFakeClient, EMPTY_STATS, makeJob, pagedJobs, type Handlers } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { JobsPage } from './JobsPage';

function setup(jobs: Job[], overrides: Handlers = {}) {
  const client = createFakeClient({
    listJobs: pagedJobs(() => jobs),
    getStats: () => ({ ...EMPTY_STATS, pending: jobs.length }),
    getQueueState: () => ({ paused: false, pausedCategories: [], limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: null }),
    cancelJob: ({ id }) => ({ id, status: 'cancelled' }),
    pauseQueue: () => ({ paused: true, pausedCategories: [], limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: null }),
    ...overrides,
  });
  const stores = createAppStores(client);
  stores.jobs.setState({ limit: 10 });
  stores.start();
  renderUi(<JobsPage jobId={null} onOpenJob={() => {}} />, stores);
  return { client, stores };
}

describe('JobsPage', () => {
  it('pages through the server: the next page asks listJobs for page 2', async () => {
    const jobs = Array.from({ length: 23 }, (_, i) => makeJob({ type: i === 0 ? 'scan' : 'validate', waitingReason: i === 0 ? 'Waiting for a cpu slot (5 of 5 in use)' : null, status: i === 0 ? 'queued' : 'pending' }));
    const user = userEvent.setup();
    const { client } = setup(jobs);
    const table = await screen.findByRole('table', { name: 'Jobs' });
    expect(within(table).getAllByRole('row')).toHaveLength(11);
    expect(screen.getByText('1–10 of 23 jobs')).toBeInTheDocument();
    // the waiting reason shows under a queued job
    expect(within(table).getByText('Waiting for a cpu slot (5 of 5 in use)')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'next page' }));
    await screen.findByText('11–20 of 23 jobs');
    expect(client.callsOf('listJobs').at(-1)).toEqual({ page: 2, limit: 10 });
  });

  it('cancels the selected jobs after confirmation', async () => {
    const jobs = [makeJob({ status: 'running' }), makeJob({ status: 'queued' }), makeJob({ status: 'completed' })];
    const user = userEvent.setup();
    const { client } = setup(jobs);
    await screen.findByRole('table', { name: 'Jobs' });
    await user.click(screen.getByRole('checkbox', { name: 'Select all jobs on this page' }));
    const bulk = screen.getByRole('region', { name: 'Bulk actions' });
    expect(within(bulk).getByText('3 selected')).toBeInTheDocument();
    await user.click(within(bulk).getByRole('button', { name: 'Cancel (2)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel jobs?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel 2 jobs' }));
    await waitFor(() => expect(client.callsOf('cancelJob')).toHaveLength(2));
    expect(client.callsOf('cancelJob')).toEqual([{ id: jobs[0]!.id }, { id: jobs[1]!.id }]);
  });

  it('pauses the whole queue', async () => {
    const user = userEvent.setup();
    const { client } = setup([makeJob()]);
    await user.click(await screen.findByRole('button', { name: 'Pause queue' }));
    await screen.findByRole('button', { name: 'Resume queue' });
    expect(client.callsOf('pauseQueue')).toEqual([{}]);
    expect(screen.getByText('Queue paused')).toBeInTheDocument();
  });

  it('says so when there are no jobs', async () => {
    setup([]);
    expect(await screen.findByText('No jobs yet')).toBeInTheDocument();
  });

  it('says so when the jobs cannot be read, and tries again on demand', async () => {
    const user = userEvent.setup();
    let fail = true;
    const jobs = [makeJob({ type: 'scan' })];
    setup(jobs, {
      listJobs: (input) => {
        if (fail) throw new ApiError('INTERNAL', 'Something went wrong on the server; it has been logged.');
        return pagedJobs(() => jobs)(input);
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the jobs');
    expect(alert).toHaveTextContent('Something went wrong on the server');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table', { name: 'Jobs' })).toBeInTheDocument();
  });
});

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

function setup(jobs: Job[], overrides: Handlers = {}, url?: { query: Record<string, string>; onQueryChange: (q: Record<string, string>) => void }) {
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
  renderUi(<JobsPage jobId={null} onOpenJob={() => {}} {...(url ?? {})} />, stores);
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

  it('shows a suspended job as suspended, on its row and in its own count chip', async () => {
    setup([makeJob({ status: 'suspended', type: 'reencode_streaming' })], { getStats: () => ({ ...EMPTY_STATS, running: 1, suspended: 1, paused: 2 }) });
    const table = await screen.findByRole('table', { name: 'Jobs' });
    expect(within(table).getByLabelText('Status: Suspended')).toBeInTheDocument();
    const chips = await screen.findByLabelText('Jobs per status');
    expect(await within(chips).findByLabelText('Suspended: 1 (show only these)')).toBeInTheDocument();
    expect(within(chips).getByLabelText('Paused: 2 (show only these)')).toBeInTheDocument();
    expect(within(chips).getByLabelText('Running: 1 (show only these)')).toBeInTheDocument();
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

  it('names each job by its file, with its output and speed while it runs', async () => {
    const running = makeJob({
      status: 'running',
      type: 'reencode_streaming',
      progress: 50,
      input: { videoId: 'v1', title: 'Sunrise Beach', path: 'inbox/sunrise-beach.mp4', durationSeconds: 3 },
    });
    const done = makeJob({ status: 'completed', type: 'reencode_streaming', outputs: [{ videoId: 'v2', title: 'x', path: 'playback/x.mp4', durationSeconds: 1 }] });
    const scan = makeJob({ type: 'scan', params: { directoryType: 'inbox' }, input: null });
    setup([running, done, scan]);
    const table = await screen.findByRole('table', { name: 'Jobs' });
    const row = (id: string) => table.querySelector<HTMLElement>(`tr[data-job-id="${id}"]`)!;
    expect(within(row(running.id)).getByText('Sunrise Beach')).toBeInTheDocument();
    expect(within(row(running.id)).getByText('inbox/sunrise-beach.mp4')).toBeInTheDocument();
    expect(within(row(done.id)).getByText('playback/x.mp4')).toBeInTheDocument();
    expect(within(row(scan.id)).getByText('Folder inbox/')).toBeInTheDocument();
  });

  it('searches by file name and filters by creation day, and says so in the URL', async () => {
    const user = userEvent.setup();
    const queries: Array<Record<string, string>> = [];
    const { client } = setup([makeJob()], {}, { query: {}, onQueryChange: (q) => queries.push(q) });
    await screen.findByRole('table', { name: 'Jobs' });
    await user.type(screen.getByRole('textbox', { name: 'File' }), 'beach');
    await waitFor(() => expect(client.callsOf('listJobs').at(-1)).toMatchObject({ search: 'beach', page: 1 }));
    const from = screen.getByLabelText('Created from');
    await user.type(from, '2026-02-01');
    await waitFor(() => expect(client.callsOf('listJobs').at(-1)).toMatchObject({ search: 'beach', createdFrom: expect.any(String) }));
    expect(queries.at(-1)).toMatchObject({ q: 'beach', from: '2026-02-01' });
  });

  it('opens with the filters the URL names', async () => {
    const { client } = setup([makeJob({ status: 'failed' })], {}, { query: { status: 'failed', q: 'hike', page: '1' }, onQueryChange: () => {} });
    await screen.findByRole('table', { name: 'Jobs' });
    await waitFor(() => expect(client.callsOf('listJobs').at(-1)).toMatchObject({ status: 'failed', search: 'hike' }));
    expect(screen.getByRole('textbox', { name: 'File' })).toHaveValue('hike');
  });
});

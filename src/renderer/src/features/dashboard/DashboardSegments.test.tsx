// @vitest-environment jsdom
import '../../testing/setup';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Job } from '../../../../shared/contracts/job';
import type { OperationInput } from '../../api/media-client';
import { createFakeClient, EMPTY_STATS, makeJob, pagedJobs } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { DashboardPage } from './DashboardPage';

const now = Date.now();

describe('DashboardPage: a segmented encode (#20)', () => {
  it('shows one tile for a parent whose parts run (never the parts), follows the parts live, and acts on the parent', async () => {
    let parent = makeJob({
      type: 'transcode', status: 'pending', progress: 50, waitingReason: 'Encoding in parts: 9 of 16 done', resourceCategory: 'cpu',
      chunks: { total: 16, done: 9, running: 2, failed: 0, etaSeconds: 300 },
      input: { videoId: 'v1', title: 'Long Film', path: 'films/long.mkv', durationSeconds: 900 },
    });
    const part = (index: number) => makeJob({ type: 'encode_chunk', status: 'running', parentJobId: parent.id, resourceCategory: 'cpu', progress: 30, params: { index, total: 16 }, startedAt: new Date(now - 5_000).toISOString(), input: parent.input });
    const parts = [part(9), part(10)];
    const other = makeJob({ status: 'running', type: 'validate', resourceCategory: 'cpu', startedAt: new Date(now - 5_000).toISOString(), input: { videoId: 'v2', title: 'Clip', path: 'clip.mp4', durationSeconds: 10 } });
    const all = () => [parent, ...parts, other];
    const paged = pagedJobs(all);
    const client = createFakeClient({
      // as the API: the parts are listed only when asked for
      listJobs: (input: OperationInput<'listJobs'>) => {
        const page = paged(input);
        return input.includeChildren === 'true' ? page : { ...page, data: page.data.filter((j: Job) => j.parentJobId === null) };
      },
      getJob: ({ id }) => ({ ...(all().find((j) => j.id === id) ?? parent), log: '' }),
      getThroughput: () => ({ hours: [] }),
      listNodes: () => ({ mode: 'embedded', nodeId: 'ws-1', leaseMs: null, nodes: [] }),
      getSystemInfo: () => {
        throw new Error('not needed');
      },
      getStats: () => ({ ...EMPTY_STATS, running: 2, runningByCategory: { cpu: 2, gpu_encode: 0, gpu_ai: 0 } }),
      getQueueState: () => ({ paused: false, pausedCategories: [], limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: null }),
      cancelJob: ({ id }) => ({ id, status: 'cancelled' }),
    });
    const stores = storesAs('operate', client, { batchIntervalMs: 0 });
    stores.start();
    renderUi(<DashboardPage onOpenJob={vi.fn()} onShowJobs={vi.fn()} />, stores);

    const tile = await screen.findByRole('article', { name: 'Running job: Long Film' });
    expect(within(tile).getByLabelText('Parts')).toHaveTextContent('Encoding in parts: 2 running, 9 of 16 done');
    expect(within(tile).getByLabelText('Status: encoding · 2 parts running')).toBeInTheDocument();
    expect(within(tile).getByRole('progressbar', { name: 'Progress 50%' })).toBeInTheDocument();
    expect(within(tile).getByLabelText('ETA')).toHaveTextContent('5m 0s');
    // the ordinary running job and the parent: no tile per part
    expect(screen.getAllByRole('article', { name: /^Running job:/ })).toHaveLength(2);
    expect(screen.getByText('2 live · 0 waiting')).toBeInTheDocument();
    // the parts hold slots: the gauge counts them with the other running job
    expect(screen.getByLabelText('CPU: 3 of 5 slots in use')).toBeInTheDocument();

    // a part progresses: the parent's tile follows (its view re-read)
    parent = { ...parent, progress: 56, chunks: { total: 16, done: 10, running: 2, failed: 0, etaSeconds: 240 } };
    const reads = client.callsOf('getJob').length;
    act(() => client.emit([{ type: 'job.progress', jobId: parts[0]!.id, progress: 80 }]));
    await waitFor(() => expect(within(tile).getByRole('progressbar', { name: 'Progress 56%' })).toBeInTheDocument(), { timeout: 3_000 });
    expect(within(tile).getByLabelText('Parts')).toHaveTextContent('Encoding in parts: 2 running, 10 of 16 done');
    expect(client.callsOf('getJob').slice(reads)).toEqual([{ id: parent.id }]);

    // cancel on the tile cancels the parent (the server cancels its parts with it)
    const user = userEvent.setup();
    await user.click(within(tile).getByRole('button', { name: 'Cancel transcode job' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /cancel/i }));
    await waitFor(() => expect(client.callsOf('cancelJob')).toEqual([{ id: parent.id }]));
  });
});

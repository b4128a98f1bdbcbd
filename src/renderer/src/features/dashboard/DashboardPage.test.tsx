// @vitest-environment jsdom
import '../../testing/setup';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Job } from '../../../../shared/contracts/job';
import { createFakeClient, EMPTY_STATS, makeJob, pagedJobs } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { DashboardPage } from './DashboardPage';

const HOUR = 3_600_000;
const now = Date.now();
const RUNNING = makeJob({
  status: 'running',
  type: 'reencode_streaming',
  progress: 20,
  nodeId: 'ws-1',
  startedAt: new Date(now - 10_000).toISOString(),
  input: { videoId: 'v1', title: 'Long Drive', path: 'inbox/long-drive.mp4', durationSeconds: 120 },
});
const FAILED = makeJob({ status: 'failed', type: 'thumbnail_generate', lastError: 'Input file is missing: inbox/x.mp4', completedAt: new Date(now - HOUR).toISOString(), input: { videoId: 'v2', title: 'Hike', path: 'inbox/hike.mp4', durationSeconds: 5 } });
const OLD_FAILURE = makeJob({ status: 'failed', type: 'validate', lastError: 'old', completedAt: new Date(now - 30 * HOUR).toISOString() });

function setup(jobs: Job[] = [RUNNING, FAILED, OLD_FAILURE]) {
  const client = createFakeClient({
    listJobs: pagedJobs(() => jobs),
    getThroughput: () => ({ hours: Array.from({ length: 24 }, (_, i) => ({ hourStart: new Date(now - (23 - i) * HOUR).toISOString(), completed: i === 23 ? 4 : 1, failed: i === 22 ? 1 : 0 })) }),
    listNodes: () => ({ mode: 'embedded', nodeId: 'ws-1', leaseMs: null, nodes: [{ id: 'ws-1', hostname: 'ws-1', version: '1', libraryPath: '/m', startedAt: '', heartbeatAt: '', state: 'online', limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: 8000, gpus: [{ index: 0, name: 'RTX 4070', totalMb: 12000, usedMb: 3000 }], running: { cpu: 0, gpu_encode: 1, gpu_ai: 0 }, vramReservedMb: 4000, runningJobIds: [RUNNING.id], completedSinceStart: 0, failedSinceStart: 0, self: true }] }),
    getSystemInfo: () => {
      throw new Error('not needed');
    },
    pauseJob: ({ id }) => ({ id, status: 'suspended' }),
    getStats: () => ({ ...EMPTY_STATS, running: 1, runningByCategory: { cpu: 0, gpu_encode: 1, gpu_ai: 0 }, totalVramUsed: 4000, totalVramAvailable: 8000 }),
    getQueueState: () => ({ paused: false, pausedCategories: [], limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: 8000 }),
  });
  // events are applied at once (no batching delay)
  const stores = storesAs('operate', client, { batchIntervalMs: 0 });
  stores.start();
  const onOpenJob = vi.fn();
  const onShowJobs = vi.fn();
  renderUi(<DashboardPage onOpenJob={onOpenJob} onShowJobs={onShowJobs} />, stores);
  return { client, stores, onOpenJob, onShowJobs };
}

describe('DashboardPage', () => {
  it('shows a tile per running job: file, type, node, GPU, progress and actions', async () => {
    setup();
    const tile = await screen.findByRole('article', { name: 'Running job: Long Drive' });
    expect(within(tile).getByText('inbox/long-drive.mp4')).toBeInTheDocument();
    expect(within(tile).getByText('reencode_streaming')).toBeInTheDocument();
    expect(within(tile).getByText('ws-1')).toBeInTheDocument();
    expect(within(tile).getByText('RTX 4070')).toBeInTheDocument();
    expect(within(tile).getByRole('progressbar', { name: 'Progress 20%' })).toBeInTheDocument();
    expect(within(tile).getByRole('button', { name: 'Suspend reencode_streaming job' })).toBeInTheDocument();
    expect(within(tile).getByRole('button', { name: 'Cancel reencode_streaming job' })).toBeInTheDocument();
  });

  it('follows the job live: progress, and speed, frame rate and ETA from ffmpeg’s status line', async () => {
    const { client } = setup();
    const tile = await screen.findByRole('article', { name: 'Running job: Long Drive' });
    act(() => {
      client.emit([
        { type: 'job.progress', jobId: RUNNING.id, progress: 45 },
        { type: 'job.console', jobId: RUNNING.id, text: 'frame= 1620 fps= 60 q=28.0 size=  2048kB time=00:00:54.00 bitrate= 310.7kbits/s speed=2.00x    \r' },
      ]);
    });
    await waitFor(() => expect(within(tile).getByRole('progressbar', { name: 'Progress 45%' })).toBeInTheDocument());
    expect(within(tile).getByLabelText('FPS')).toHaveTextContent('60');
    expect(within(tile).getByLabelText('Speed')).toHaveTextContent('2.00×');
    // (120 s − 54 s) at 2× real time
    expect(within(tile).getByLabelText('ETA')).toHaveTextContent('33s');
    // it ends: the tile goes at once
    act(() => client.emit([{ type: 'job.updated', job: { ...RUNNING, status: 'completed', progress: 100 } }]));
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Running job: Long Drive' })).not.toBeInTheDocument());
  });

  it('shows slots per category, the throughput of the last day and its failures with reasons', async () => {
    const { onOpenJob, onShowJobs } = setup();
    const user = userEvent.setup();
    expect(await screen.findByLabelText('GPU Encode: 1 of 2 slots in use')).toBeInTheDocument();
    expect(screen.getByLabelText('CPU: 0 of 5 slots in use')).toBeInTheDocument();
    expect(await screen.findByLabelText('Jobs ended in the last 24 hours')).toHaveTextContent('27 completed · 1 failed');
    const failures = screen.getByRole('region', { name: 'Failures in the last 24 hours' });
    expect(within(failures).getByText('Input file is missing: inbox/x.mp4')).toBeInTheDocument();
    expect(within(failures).queryByText('old')).not.toBeInTheDocument();
    await user.click(within(failures).getByRole('button', { name: 'Hike' }));
    expect(onOpenJob).toHaveBeenCalledWith(FAILED.id);
    await user.click(within(failures).getByRole('button', { name: 'All failed jobs' }));
    expect(onShowJobs).toHaveBeenCalledWith({ status: 'failed' });
  });

  it('says when nothing runs', async () => {
    setup([]);
    expect(await screen.findByText('Nothing is running')).toBeInTheDocument();
  });
});

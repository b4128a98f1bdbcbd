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
const OUTCOMES = { replaced: 2, copied: 0, kept_original: 0, skipped: 0, failed: 0, restored: 0 };
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

  it('shows one row per GPU with the live jobs placed there, and names each tile’s GPU', async () => {
    const onGpu = (gpuIndex: number, title: string) =>
      makeJob({ status: 'running', nodeId: 'ws-1', gpuIndex, gpuUuid: `GPU-${gpuIndex}`, startedAt: new Date(now - 5_000).toISOString(), input: { videoId: `v-${gpuIndex}`, title, path: `inbox/${title}.mp4`, durationSeconds: 60 } });
    const gpu = (index: number, reservedMb: number, blocked: string | null) => ({ index, name: index === 0 ? 'NVIDIA GeForce RTX 4090' : 'NVIDIA GeForce RTX 3060', totalMb: 24_576, usedMb: 4_096, freeMb: 20_480, utilizationPercent: 10, temperatureC: 50, encodeSupported: true, nvencSessionCap: 8, encoderSessions: 1, vramReservedMb: reservedMb, vramOthersMb: 1_024, jobsRunning: 1, vramBudgetMb: 22_000, blocked });
    let jobs = [onGpu(0, 'alpha'), onGpu(1, 'beta')];
    const client = createFakeClient({
      listJobs: pagedJobs(() => jobs),
      getThroughput: () => ({ hours: [] }),
      listNodes: () => ({ mode: 'embedded', nodeId: 'ws-1', leaseMs: null, nodes: [] }),
      getSystemInfo: () => ({ nodeId: 'ws-1', version: '1', gpus: [gpu(0, 4_000, null), gpu(1, 3_000, 'GPU 1: 900 MB free, 3,000 MB reserved by jobs that have yet to take it')], cpu: { cores: 4, loadAverage: [0, 0, 0] }, vramBudgetMb: 44_000, vramReservedMb: 7_000, slots: { cpu: { running: 0, limit: 4 }, gpu_encode: { running: 2, limit: 4 }, gpu_ai: { running: 0, limit: 1 } }, queue: { paused: false, pausedCategories: [] }, tools: { ffmpeg: null, ffprobe: null, error: null }, encoders: { available: [], preferred: null, failed: [] } }),
      getStats: () => ({ ...EMPTY_STATS, running: 2 }),
    });
    const stores = storesAs('operate', client, { batchIntervalMs: 0 });
    stores.start();
    renderUi(<DashboardPage onOpenJob={vi.fn()} onShowJobs={vi.fn()} />, stores);
    const capacity = await screen.findByRole('region', { name: 'Capacity' });
    const row0 = await within(capacity).findByRole('group', { name: 'GPU 0' });
    const row1 = within(capacity).getByRole('group', { name: 'GPU 1' });
    expect(within(row0).getByLabelText('Jobs on GPU 0')).toHaveTextContent('1 job');
    expect(within(row1).getByLabelText('Jobs on GPU 1')).toHaveTextContent('1 job');
    expect(within(row0).getByLabelText('GPU 0 VRAM')).toHaveTextContent('3.9 GB reserved · 1.0 GB used by others · 20.0 GB free of 24.0 GB');
    expect(within(row0).getByLabelText('GPU 0 NVENC')).toHaveTextContent('1 of 8 NVENC sessions');
    expect(within(row0).queryByText('takes no jobs')).not.toBeInTheDocument();
    expect(within(row1).getByText('takes no jobs')).toBeInTheDocument();
    expect(within(row1).getByLabelText('Why GPU 1 takes no jobs')).toHaveTextContent('GPU 1: 900 MB free');
    const beta = await screen.findByRole('article', { name: 'Running job: beta' });
    await waitFor(() => expect(within(beta).getByLabelText('Runs on GPU 1 · RTX 3060')).toBeInTheDocument());
    expect(within(screen.getByRole('article', { name: 'Running job: alpha' })).getByLabelText('Runs on GPU 0 · RTX 4090')).toBeInTheDocument();
    // a job that leaves GPU 1 leaves its row at once (the live jobs, not the 10 s telemetry)
    const ended = { ...jobs[1]!, status: 'completed' as const };
    jobs = [jobs[0]!];
    act(() => client.emit([{ type: 'job.updated', job: ended }]));
    await waitFor(() => expect(within(row1).getByLabelText('Jobs on GPU 1')).toHaveTextContent('0 jobs'));
  });

  it('shows the space saved from the ledger, linking to the Savings page', async () => {
    const onShowSavings = vi.fn();
    const today = new Date().toISOString().slice(0, 10);
    const client = createFakeClient({
      listJobs: pagedJobs(() => []),
      getThroughput: () => ({ hours: [] }),
      getSavings: () => ({ groupBy: 'day', total: { bytesSaved: 3 * 1024 ** 3, grossBytesSaved: 3 * 1024 ** 3, filesReplaced: 7, outcomes: OUTCOMES }, groups: [{ key: today, bytesSaved: 1024 ** 3, grossBytesSaved: 1024 ** 3, filesReplaced: 2, outcomes: OUTCOMES }] }),
    });
    const stores = storesAs('operate', client, { batchIntervalMs: 0 });
    stores.start();
    renderUi(<DashboardPage onOpenJob={vi.fn()} onShowJobs={vi.fn()} onShowSavings={onShowSavings} />, stores);
    const tile = screen.getByRole('region', { name: 'Space saved' });
    await waitFor(() => expect(within(tile).getByLabelText('Total saved')).toHaveTextContent('3.0 GB'));
    expect(within(tile).getByLabelText('Saved recently')).toHaveTextContent('today (UTC) 1.0 GB · last 30 days 1.0 GB · 7 files replaced');
    await userEvent.setup().click(within(tile).getByRole('button', { name: 'Savings page' }));
    expect(onShowSavings).toHaveBeenCalledOnce();
  });

  it('says when nothing runs', async () => {
    setup([]);
    expect(await screen.findByText('Nothing is running')).toBeInTheDocument();
  });
});

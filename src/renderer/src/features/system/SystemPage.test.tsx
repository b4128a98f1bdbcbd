// @vitest-environment jsdom
import '../../testing/setup';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SystemInfo } from '../../../../shared/contracts/system';
import type { Fleet, NodeView } from '../../../../shared/contracts/fleet';
import { createFakeClient, EMPTY_STATS } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { SystemPage } from './SystemPage';

const INFO: SystemInfo = {
  nodeId: 'ws-1',
  version: '0.1.0',
  gpus: [],
  cpu: { cores: 8, loadAverage: [2, 1.5, 1] },
  vramBudgetMb: null,
  vramReservedMb: 0,
  slots: { cpu: { running: 3, limit: 5 }, gpu_encode: { running: 2, limit: 2 }, gpu_ai: { running: 0, limit: 1 } },
  queue: { paused: false, pausedCategories: [] },
  tools: { ffmpeg: { path: '/usr/bin/ffmpeg', version: '6.1', source: 'system' }, ffprobe: null, error: 'ffprobe was not found' },
  encoders: { available: ['libx264'], preferred: 'libx264', failed: [{ encoder: 'h264_nvenc', reason: 'Cannot load libcuda.so.1' }] },
};

const NODE: NodeView = {
  id: 'ws-1',
  hostname: 'ws-1.lan',
  version: '0.1.0',
  libraryPath: '/mnt/library',
  startedAt: new Date(Date.now() - 3_600_000).toISOString(),
  heartbeatAt: new Date().toISOString(),
  state: 'online',
  limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 },
  vramBudgetMb: null,
  gpus: [],
  running: { cpu: 3, gpu_encode: 2, gpu_ai: 0 },
  vramReservedMb: 0,
  runningJobIds: ['0b9f6c1e-0000-4000-8000-000000000001'],
  completedSinceStart: 12,
  failedSinceStart: 1,
  self: true,
};
const EMBEDDED: Fleet = { mode: 'embedded', nodeId: 'ws-1', leaseMs: null, nodes: [NODE] };

describe('SystemPage', () => {
  it('lists the fleet: each node with its state, slots against its own limits, VRAM and what it runs', async () => {
    const fleet: Fleet = {
      mode: 'fleet',
      nodeId: 'ws-1',
      leaseMs: 30_000,
      nodes: [
        NODE,
        { ...NODE, id: 'gpu-2', hostname: 'gpu-2.lan', self: false, state: 'offline', heartbeatAt: new Date(Date.now() - 120_000).toISOString(), vramBudgetMb: 23_000, vramReservedMb: 6_000, gpus: [{ index: 0, name: 'RTX 4090', totalMb: 24_564, usedMb: 7_000 }], running: { cpu: 0, gpu_encode: 1, gpu_ai: 1 }, limits: { cpu: 8, gpu_encode: 3, gpu_ai: 2 } },
      ],
    };
    renderUi(<SystemPage />, storesAs('admin', createFakeClient({ getSystemInfo: () => INFO, listNodes: () => fleet })));
    const nodes = await screen.findByRole('table', { name: 'Nodes' });
    expect(screen.getByText(/Fleet on PostgreSQL · 1 of 2 online/)).toBeInTheDocument();
    const self = within(nodes).getByRole('row', { name: 'Node ws-1' });
    expect(within(self).getByText('this node')).toBeInTheDocument();
    expect(within(self).getByText('online')).toBeInTheDocument();
    expect(within(self).getByLabelText('ws-1 cpu: 3 of 5')).toBeInTheDocument();
    expect(within(self).getByText('1 running · since start 12 done, 1 failed')).toBeInTheDocument();
    const other = within(nodes).getByRole('row', { name: 'Node gpu-2' });
    expect(within(other).getByText('offline')).toBeInTheDocument();
    expect(within(other).getByLabelText('gpu-2 gpu_encode: 1 of 3')).toBeInTheDocument();
    expect(within(other).getByText('RTX 4090')).toBeInTheDocument();
    expect(within(other).getByText('5.9 GB of 22.5 GB')).toBeInTheDocument();
  });

  it('shows one row per GPU: jobs there, VRAM reserved / used by others / free, NVENC sessions, and why one takes no jobs', async () => {
    const gpus: SystemInfo['gpus'] = [
      { index: 0, name: 'NVIDIA GeForce RTX 4090', totalMb: 24_576, usedMb: 9_216, freeMb: 15_360, utilizationPercent: 40, temperatureC: 66, uuid: 'GPU-a', encodeSupported: true, nvencSessionCap: 8, encoderSessions: 2, vramReservedMb: 8_192, vramOthersMb: 512, jobsRunning: 2, vramBudgetMb: 23_000, blocked: null },
      { index: 1, name: 'NVIDIA H100 80GB HBM3', totalMb: 81_920, usedMb: 61_440, freeMb: 20_480, utilizationPercent: 0, temperatureC: 33, uuid: 'GPU-b', encodeSupported: false, nvencSessionCap: null, encoderSessions: null, vramReservedMb: 0, vramOthersMb: 61_440, jobsRunning: 0, vramBudgetMb: 19_000, blocked: 'GPU 1: 500 MB free, 2,000 MB reserved' },
    ];
    renderUi(<SystemPage />, storesAs('admin', createFakeClient({ getSystemInfo: () => ({ ...INFO, gpus }), listNodes: () => EMBEDDED })));
    const rows = await screen.findByLabelText('GPU rows');
    expect(within(rows).getAllByRole('group').map((g) => g.getAttribute('aria-label'))).toEqual(['GPU 0', 'GPU 1']);
    expect(screen.getByText('2 GPUs')).toBeInTheDocument();
    const g0 = within(rows).getByRole('group', { name: 'GPU 0' });
    expect(within(g0).getByText('#0 NVIDIA GeForce RTX 4090')).toBeInTheDocument();
    expect(within(g0).getByLabelText('Jobs on GPU 0')).toHaveTextContent('2 jobs');
    expect(within(g0).getByLabelText('GPU 0 VRAM')).toHaveTextContent('8.0 GB reserved · 512 MB used by others · 15.0 GB free of 24.0 GB');
    expect(within(g0).getByLabelText('GPU 0 NVENC')).toHaveTextContent('2 of 8 NVENC sessions');
    expect(within(g0).getByLabelText('GPU 0 VRAM: 33% reserved, 2% used by others')).toBeInTheDocument();
    const g1 = within(rows).getByRole('group', { name: 'GPU 1' });
    expect(within(g1).getByLabelText('Jobs on GPU 1')).toHaveTextContent('0 jobs');
    expect(within(g1).getByLabelText('GPU 1 NVENC')).toHaveTextContent('NVENC not usable here');
    expect(within(g1).getByText('takes no jobs')).toBeInTheDocument();
    expect(within(g1).getByLabelText('Why GPU 1 takes no jobs')).toHaveTextContent('GPU 1: 500 MB free, 2,000 MB reserved');
  });

  it('says when the queue is embedded, and keeps the page when the node list cannot be read', async () => {
    const { unmount } = renderUi(<SystemPage />, storesAs('admin', createFakeClient({ getSystemInfo: () => INFO, listNodes: () => EMBEDDED })));
    expect(await screen.findByText(/Embedded \(SQLite\): this node alone/)).toBeInTheDocument();
    unmount();
    renderUi(<SystemPage />, storesAs('admin', createFakeClient({ getSystemInfo: () => INFO })));
    expect(await screen.findByText('Could not read the node list')).toBeInTheDocument();
    expect(screen.getByText('No GPU detected')).toBeInTheDocument();
  });

  it('shows the no-GPU state, slots per category, tools and failed encoders with reasons', async () => {
    const client = createFakeClient({ getSystemInfo: () => INFO, listNodes: () => EMBEDDED });
    const stores = storesAs('admin', client);
    stores.queue.setState({ stats: { ...EMPTY_STATS, running: 5 }, queue: { paused: false, pausedCategories: [], limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: null } });
    renderUi(<SystemPage />, stores);
    expect(await screen.findByText('No GPU detected')).toBeInTheDocument();
    expect(screen.getByLabelText('CPU: 3 of 5 slots in use')).toBeInTheDocument();
    expect(screen.getByLabelText('GPU Encode: 2 of 2 slots in use')).toBeInTheDocument();
    expect(screen.getByText('none (no GPU, none declared)')).toBeInTheDocument();
    expect(screen.getByText('ffprobe was not found')).toBeInTheDocument();
    expect(screen.getByText('Cannot load libcuda.so.1')).toBeInTheDocument();
    expect(screen.getByText('libx264 (preferred)')).toBeInTheDocument();
  });

  it('pauses one category and shows it paused', async () => {
    const user = userEvent.setup();
    let paused: string[] = [];
    const client = createFakeClient({
      listNodes: () => EMBEDDED,
      getSystemInfo: () => ({ ...INFO, gpus: [{ index: 0, name: 'RTX 4090', totalMb: 24564, usedMb: 2048, utilizationPercent: 37, temperatureC: 61 }], queue: { paused: false, pausedCategories: paused as SystemInfo['queue']['pausedCategories'] } }),
      pauseQueue: ({ category }) => {
        paused = [category!];
        return { paused: false, pausedCategories: [category!], limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: 20000 };
      },
    });
    renderUi(<SystemPage />, storesAs('admin', client));
    const gpu = await screen.findByLabelText('GPU 0');
    expect(within(gpu).getByText('#0 RTX 4090')).toBeInTheDocument();
    expect(within(gpu).getByText('61 °C')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Pause GPU AI' }));
    expect(client.callsOf('pauseQueue')).toEqual([{ category: 'gpu_ai' }]);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Resume GPU AI' })).toBeInTheDocument());
  });
});

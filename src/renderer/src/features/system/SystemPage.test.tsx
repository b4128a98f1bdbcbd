// @vitest-environment jsdom
import '../../testing/setup';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SystemInfo } from '../../../../shared/contracts/system';
import { createAppStores } from '../../stores/app-stores';
import { createFakeClient, EMPTY_STATS } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
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

describe('SystemPage', () => {
  it('shows the no-GPU state, slots per category, tools and failed encoders with reasons', async () => {
    const client = createFakeClient({ getSystemInfo: () => INFO });
    const stores = createAppStores(client);
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
      getSystemInfo: () => ({ ...INFO, gpus: [{ index: 0, name: 'RTX 4090', totalMb: 24564, usedMb: 2048, utilizationPercent: 37, temperatureC: 61 }], queue: { paused: false, pausedCategories: paused as SystemInfo['queue']['pausedCategories'] } }),
      pauseQueue: ({ category }) => {
        paused = [category!];
        return { paused: false, pausedCategories: [category!], limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: 20000 };
      },
    });
    renderUi(<SystemPage />, createAppStores(client));
    const gpu = await screen.findByLabelText('GPU 0');
    expect(within(gpu).getByText('#0 RTX 4090')).toBeInTheDocument();
    expect(within(gpu).getByText('61 °C')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Pause GPU AI' }));
    expect(client.callsOf('pauseQueue')).toEqual([{ category: 'gpu_ai' }]);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Resume GPU AI' })).toBeInTheDocument());
  });
});

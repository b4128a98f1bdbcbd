// @vitest-environment jsdom
import '../../testing/setup';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeClient, makeJob } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { ChunkDisclosure } from './ChunkDisclosure';

describe('ChunkDisclosure', () => {
  it('shows the chunk count of a segmented encode and lists its parts when opened', async () => {
    const parent = makeJob({ type: 'transcode', status: 'pending', chunks: { total: 3, done: 1, running: 1, failed: 0, etaSeconds: 20 } });
    const client = createFakeClient({
      getJobChildren: () => ({
        parentId: parent.id,
        data: [
          makeJob({ type: 'encode_chunk', status: 'completed', params: { index: 0, total: 3 } }),
          makeJob({ type: 'encode_chunk', status: 'running', progress: 40, params: { index: 1, total: 3 }, nodeId: 'node-a' }),
          makeJob({ type: 'encode_audio', status: 'completed' }),
        ],
      }),
    });
    renderUi(<ChunkDisclosure job={parent} />, storesAs('admin', client));
    const toggle = screen.getByRole('button', { name: `Chunks of job ${parent.id}` });
    expect(toggle).toHaveTextContent('1/3 chunks, 1 running');
    expect(client.callsOf('getJobChildren')).toEqual([]);
    await userEvent.click(toggle);
    expect(await screen.findByText('chunk 2/3 running 40% on node-a')).toBeInTheDocument();
    expect(screen.getByText('chunk 1/3 completed')).toBeInTheDocument();
    expect(screen.getByText('audio completed')).toBeInTheDocument();
    expect(client.callsOf('getJobChildren')).toEqual([{ id: parent.id }]);
  });

  it('shows nothing for a job without chunks', () => {
    renderUi(<ChunkDisclosure job={makeJob({ type: 'transcode' })} />, storesAs());
    expect(screen.queryByRole('button', { name: /^Chunks of job/ })).toBeNull();
  });
});

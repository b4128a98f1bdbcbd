// @vitest-environment jsdom
import '../../testing/setup';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Video } from '../../../../shared/contracts/video';
import { ApiError } from '../../api/api-error';
import { createFakeClient, makeVideo, type Handlers } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { CreateJobModal } from './CreateJobModal';

const VIDEO: Video = makeVideo();

function setup(handlers: Handlers = {}, initialType: 'scan' | 'reencode_streaming' = 'reencode_streaming') {
  const client = createFakeClient({
    listVideos: () => ({ data: [VIDEO], pagination: { page: 1, limit: 30, total: 1, totalPages: 1 } }),
    ...handlers,
  });
  const stores = storesAs('admin', client);
  const onCreated = vi.fn();
  const onClose = vi.fn();
  renderUi(<CreateJobModal opened onClose={onClose} onCreated={onCreated} initialType={initialType} />, stores);
  const dialog = screen.getByRole('dialog', { name: 'Create job' });
  const params = within(dialog).getByLabelText(/Parameters/) as HTMLTextAreaElement;
  const setParams = (json: string) => fireEvent.change(params, { target: { value: json } });
  return { client, dialog, params, setParams, onCreated, onClose };
}

describe('CreateJobModal', () => {
  it('pre-fills the parameters with the type’s defaults', () => {
    const { params } = setup({}, 'scan');
    expect(JSON.parse(params.value)).toEqual({ directoryType: 'videos', skipExisting: true });
  });

  it('shows field errors from the schema and sends nothing', async () => {
    const user = userEvent.setup();
    const { client, dialog, setParams } = setup();
    setParams(JSON.stringify({ videoId: VIDEO.id, crf: 99, preset: 'warp' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    const errors = within(dialog).getByRole('list', { name: 'Parameter errors' });
    expect(errors).toHaveTextContent('crf: Too big');
    expect(errors).toHaveTextContent('preset:');
    expect(within(dialog).getByText('Some parameters are not valid (see below).')).toBeInTheDocument();
    expect(client.callsOf('createJob')).toHaveLength(0);
  });

  it('asks for a video when none is chosen', async () => {
    const user = userEvent.setup();
    const { client, dialog } = setup();
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(within(dialog).getByText(/Choose a video/)).toBeInTheDocument();
    expect(client.callsOf('createJob')).toHaveLength(0);
  });

  it('says when the parameters are not JSON', async () => {
    const user = userEvent.setup();
    const { dialog, setParams, client } = setup({}, 'scan');
    setParams('{ "directoryType": ');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(within(dialog).getByText(/Not valid JSON/)).toBeInTheDocument();
    expect(client.callsOf('createJob')).toHaveLength(0);
  });

  it('picks a video from the search and creates the job with it and the priority', async () => {
    const user = userEvent.setup();
    const { client, dialog, params, onCreated } = setup({
      createJob: () => ({ id: '11111111-2222-4333-8444-555555555555', type: 'reencode_streaming', status: 'pending', progress: 0, createdAt: '2026-02-13T10:00:00.000Z' }),
    });
    await user.click(within(dialog).getByRole('combobox', { name: 'Video' }));
    await user.click(await screen.findByRole('option', { name: /Holiday \(holiday\.mp4\)/ }));
    expect(JSON.parse(params.value).videoId).toBe(VIDEO.id);
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('11111111-2222-4333-8444-555555555555'));
    expect(client.callsOf('createJob')).toEqual([{ type: 'reencode_streaming', params: { videoId: VIDEO.id, targetBitrate: 2000, preset: 'medium', crf: 23 }, priority: 5 }]);
  });

  it('shows the server’s refusal with its message and field', async () => {
    const user = userEvent.setup();
    const { dialog, setParams } = setup({
      createJob: () => {
        throw new ApiError('VALIDATION_FAILED', 'Invalid params for reencode_streaming: videoId: no such video', { issues: [{ path: 'params.videoId', message: 'no such video' }] });
      },
    });
    setParams(JSON.stringify({ videoId: VIDEO.id }));
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The server refused the job');
    expect(alert).toHaveTextContent('videoId: no such video');
    expect(within(dialog).getByText('no such video')).toBeInTheDocument();
  });
});

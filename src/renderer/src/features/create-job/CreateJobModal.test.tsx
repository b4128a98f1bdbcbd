// @vitest-environment jsdom
import '../../testing/setup';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { JobType } from '../../../../shared/domain/job-types';
import type { Video } from '../../../../shared/contracts/video';
import { ApiError } from '../../api/api-error';
import { createFakeClient, makeVideo, type Handlers } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { CreateJobModal } from './CreateJobModal';

const VIDEO: Video = makeVideo();
const CREATED = { id: '11111111-2222-4333-8444-555555555555', type: 'scan' as const, status: 'pending' as const, progress: 0, createdAt: '2026-02-13T10:00:00.000Z' };

function setup(handlers: Handlers = {}, initialType: JobType = 'reencode_streaming') {
  const client = createFakeClient({
    listVideos: () => ({ data: [VIDEO], pagination: { page: 1, limit: 30, total: 1, totalPages: 1 } }),
    createJob: () => CREATED,
    ...handlers,
  });
  const stores = storesAs('admin', client);
  const onCreated = vi.fn();
  const onClose = vi.fn();
  renderUi(<CreateJobModal opened onClose={onClose} onCreated={onCreated} initialType={initialType} />, stores);
  const dialog = screen.getByRole('dialog', { name: 'Create job' });
  return { client, dialog, onCreated, onClose };
}

async function pickVideo(user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement) {
  await user.click(within(dialog).getByRole('combobox', { name: 'Video' }));
  await user.click(await screen.findByRole('option', { name: /Holiday \(holiday\.mp4\)/ }));
}

describe('CreateJobModal', () => {
  it('renders the type’s schema as a form: labels, defaults, bounds, enums as selects, help text', () => {
    const { dialog } = setup();
    expect(within(dialog).getByRole('textbox', { name: /Target bitrate/ })).toHaveValue('2000');
    expect(within(dialog).getByText(/A ceiling in kbit\/s/)).toBeInTheDocument();
    expect(within(dialog).getByText(/100 to 100000/)).toBeInTheDocument();
    expect(within(dialog).getByRole('textbox', { name: /CRF/ })).toHaveValue('23');
    expect(within(dialog).getByRole('combobox', { name: 'Preset' })).toHaveValue('medium');
    // the type is named with its label and id, and its dropdown is closed
    expect(within(dialog).getByRole('combobox', { name: 'Type' })).toHaveValue('Re-encode for web playback (H.264) (reencode_streaming)');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
  });

  it('creates the job from the form alone: the picked video, the defaults and the priority', async () => {
    const user = userEvent.setup();
    const { client, dialog, onCreated } = setup();
    await pickVideo(user, dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Create reencode_streaming' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(CREATED.id));
    expect(client.callsOf('createJob')).toEqual([{ type: 'reencode_streaming', params: { videoId: VIDEO.id, targetBitrate: 2000, preset: 'medium', crf: 23 }, priority: 5 }]);
  });

  it('asks for a video when none is chosen (nothing is sent), and keeps numbers within their bounds', async () => {
    const user = userEvent.setup();
    const { client, dialog } = setup();
    const crf = within(dialog).getByRole('textbox', { name: /CRF/ });
    await user.clear(crf);
    await user.type(crf, '99');
    await user.tab();
    expect(crf).toHaveValue('51');
    await user.click(within(dialog).getByRole('button', { name: 'Create reencode_streaming' }));
    expect(await within(dialog).findByText('Choose a video.')).toBeInTheDocument();
    expect(client.callsOf('createJob')).toHaveLength(0);
  });

  it('switches type from the list; the new type starts from its defaults, keeping the chosen video', async () => {
    const user = userEvent.setup();
    const { client, dialog } = setup();
    await pickVideo(user, dialog);
    await user.click(within(dialog).getByRole('combobox', { name: 'Type' }));
    await user.click(await screen.findByRole('option', { name: /compile_gif/ }));
    expect(within(dialog).getByRole('combobox', { name: 'Type' })).toHaveValue('Create GIF from video (compile_gif)');
    expect(within(dialog).getByRole('textbox', { name: /Width/ })).toHaveValue('480');
    await user.click(within(dialog).getByRole('button', { name: 'Create compile_gif' }));
    await waitFor(() => expect(client.callsOf('createJob')).toHaveLength(1));
    expect(client.callsOf('createJob')[0]).toMatchObject({ type: 'compile_gif', params: { videoId: VIDEO.id, start: 0, duration: 5, fps: 10, width: 480 } });
  });

  it('Enter in a field submits the type that is shown, and typing never changes the type', async () => {
    const user = userEvent.setup();
    const { client, dialog } = setup({}, 'scan');
    const type = within(dialog).getByRole('combobox', { name: 'Type' });
    expect(type).toHaveAttribute('readonly');
    await user.click(within(dialog).getByRole('combobox', { name: 'Directory type' }));
    await user.keyboard('{Escape}');
    fireEvent.submit(dialog.querySelector('form')!);
    await waitFor(() => expect(client.callsOf('createJob')).toEqual([{ type: 'scan', params: { directoryType: 'videos', skipExisting: true, thumbnails: true }, priority: 5 }]));
  });

  it('edits the same parameters as JSON, and shows a syntax error at its line', async () => {
    const user = userEvent.setup();
    const { client, dialog } = setup({}, 'scan');
    await user.click(within(dialog).getByRole('tab', { name: 'JSON (advanced)' }));
    const json = within(dialog).getByRole('textbox', { name: 'Parameters (JSON)' }) as HTMLTextAreaElement;
    expect(JSON.parse(json.value)).toEqual({ directoryType: 'videos', skipExisting: true, thumbnails: true });
    fireEvent.change(json, { target: { value: '{\n  "directoryType": "inbox",\n  "skipExisting": tru\n}' } });
    await user.click(within(dialog).getByRole('button', { name: 'Create scan' }));
    expect(await within(dialog).findByText(/Line 3, column 19: Expected a value/)).toBeInTheDocument();
    expect(client.callsOf('createJob')).toHaveLength(0);
    // fixed, back on the form: the form shows what the JSON said
    fireEvent.change(json, { target: { value: '{"directoryType": "inbox", "skipExisting": false}' } });
    await user.click(within(dialog).getByRole('tab', { name: 'Parameters' }));
    expect(within(dialog).getByRole('combobox', { name: 'Directory type' })).toHaveValue('inbox');
    expect(within(dialog).getByRole('switch', { name: /Skip existing/ })).not.toBeChecked();
  });

  it('lists the schema’s errors of JSON parameters', async () => {
    const user = userEvent.setup();
    const { client, dialog } = setup();
    await user.click(within(dialog).getByRole('tab', { name: 'JSON (advanced)' }));
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Parameters (JSON)' }), { target: { value: JSON.stringify({ videoId: VIDEO.id, crf: 99, preset: 'warp' }) } });
    await user.click(within(dialog).getByRole('button', { name: 'Create reencode_streaming' }));
    const errors = within(dialog).getByRole('list', { name: 'Parameter errors' });
    expect(errors).toHaveTextContent('crf: Too big');
    expect(errors).toHaveTextContent('preset:');
    expect(client.callsOf('createJob')).toHaveLength(0);
  });

  it('shows the server’s refusal with its message and field', async () => {
    const user = userEvent.setup();
    const { dialog } = setup({
      createJob: () => {
        throw new ApiError('VALIDATION_FAILED', 'Invalid params for reencode_streaming: videoId: no such video', { issues: [{ path: 'params.videoId', message: 'no such video' }] });
      },
    });
    await pickVideo(user, dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Create reencode_streaming' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The server refused the job');
    expect(alert).toHaveTextContent('videoId: no such video');
    expect(within(dialog).getByText('no such video')).toBeInTheDocument();
  });

  it('a form for every job type of the catalog, the new ones included', async () => {
    const user = userEvent.setup();
    const { dialog } = setup({}, 'transcode');
    expect(within(dialog).getByRole('combobox', { name: 'Codec' })).toHaveValue('hevc');
    expect(within(dialog).getByRole('switch', { name: 'Use verify quality' })).not.toBeChecked();
    await user.click(within(dialog).getByRole('combobox', { name: 'Type' }));
    expect(await screen.findByRole('option', { name: /clip_generate/ })).toBeInTheDocument();
  });
});

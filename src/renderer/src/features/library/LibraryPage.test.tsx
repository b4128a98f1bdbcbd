// @vitest-environment jsdom
import '../../testing/setup';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Video } from '../../../../shared/contracts/video';
import { createAppStores } from '../../stores/app-stores';
import { createFakeClient } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { LibraryPage } from './LibraryPage';

function video(overrides: Partial<Video>): Video {
  return {
    id: '6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d',
    path: 'inbox/holiday.mp4',
    filename: 'holiday.mp4',
    title: 'Holiday',
    directoryType: 'inbox',
    sizeBytes: 5 * 1024 * 1024,
    durationSeconds: 75,
    width: 1920,
    height: 1080,
    fps: 25,
    videoCodec: 'h264',
    audioCodec: 'aac',
    bitrate: 1000,
    orientation: 'landscape',
    hasAudio: true,
    valid: true,
    validationError: null,
    missing: false,
    thumbnailPath: 'thumbnails/holiday.jpg',
    reencodeJobId: null,
    sourceJobId: null,
    createdAt: '2026-02-13T10:00:00.000Z',
    updatedAt: '2026-02-13T10:00:00.000Z',
    probedAt: '2026-02-13T10:00:00.000Z',
    ...overrides,
  };
}

const GOOD = video({});
const BROKEN = video({ id: '7f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d', path: 'inbox/broken.mp4', filename: 'broken.mp4', title: 'broken', valid: false, validationError: 'corrupt: Invalid data found when processing input', thumbnailPath: null, durationSeconds: null, width: null, height: null });

function setup() {
  const client = createFakeClient({
    listVideos: () => ({ data: [GOOD, BROKEN], pagination: { page: 1, limit: 25, total: 2, totalPages: 1 } }),
    getVideoThumbnail: ({ id }) => ({ videoId: id, path: 'thumbnails/holiday.jpg', dataUrl: 'data:image/jpeg;base64,AAAA' }),
    createJob: (input) => ({ id: '11111111-2222-4333-8444-555555555555', type: input.type as 'validate', status: 'pending', progress: 0, createdAt: '2026-02-13T10:00:00.000Z' }),
  });
  const onJobCreated = vi.fn();
  renderUi(<LibraryPage onJobCreated={onJobCreated} />, createAppStores(client));
  return { client, onJobCreated };
}

describe('LibraryPage', () => {
  it('lists videos with their facts, thumbnail, and why an invalid one is invalid', async () => {
    const { client } = setup();
    const table = await screen.findByRole('table', { name: 'Library videos' });
    const good = within(table).getByText('Holiday').closest('tr')!;
    expect(within(good).getByText('1:15')).toBeInTheDocument();
    expect(within(good).getByText('1920×1080')).toBeInTheDocument();
    expect(within(good).getByText('5.0 MB')).toBeInTheDocument();
    expect(await within(good).findByRole('img', { name: 'Thumbnail of Holiday' })).toHaveAttribute('src', 'data:image/jpeg;base64,AAAA');
    const broken = within(table).getByText('broken').closest('tr')!;
    expect(within(broken).getByText('Invalid')).toBeInTheDocument();
    expect(within(broken).getByText(/corrupt: Invalid data/)).toBeInTheDocument();
    // no thumbnail file: no request, a placeholder
    expect(within(broken).getByLabelText('No thumbnail')).toBeInTheDocument();
    expect(client.callsOf('getVideoThumbnail')).toEqual([{ id: GOOD.id }]);
  });

  it('creates the job of a row action after confirmation and hands over its id', async () => {
    const user = userEvent.setup();
    const { client, onJobCreated } = setup();
    const table = await screen.findByRole('table', { name: 'Library videos' });
    await user.click(within(table).getByRole('button', { name: 'Actions for Holiday' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Move to directory' }));
    const dialog = await screen.findByRole('dialog', { name: 'Move to directory' });
    await user.click(within(dialog).getByRole('button', { name: 'Create job' }));
    await waitFor(() => expect(onJobCreated).toHaveBeenCalledWith('11111111-2222-4333-8444-555555555555'));
    expect(client.callsOf('createJob')).toEqual([{ type: 'move_to_library', params: { videoId: GOOD.id, targetDirectory: 'videos' } }]);
  });

  it('does not offer re-encoding an invalid video', async () => {
    const user = userEvent.setup();
    setup();
    const table = await screen.findByRole('table', { name: 'Library videos' });
    await user.click(within(table).getByRole('button', { name: 'Actions for broken' }));
    expect(await screen.findByRole('menuitem', { name: 'Re-encode for streaming' })).toBeDisabled();
    expect(screen.getByRole('menuitem', { name: 'Validate metadata' })).toBeEnabled();
  });
});

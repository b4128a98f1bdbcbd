// @vitest-environment jsdom
import '../../testing/setup';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Video } from '../../../../shared/contracts/video';
import { ApiError } from '../../api/api-error';
import { denialMessage } from '../../lib/access';
import { createFakeClient, makeVideo, type FakeClient } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { LibraryPage } from '../library/LibraryPage';
import { savingsHandlers } from './fixtures';

const MB = 1024 * 1024;
const REPLACED = makeVideo({ sizeBytes: 30 * MB, videoCodec: 'hevc' });
const OTHER = makeVideo({ id: '7a1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d', title: 'Other', filename: 'other.mp4', path: 'inbox/other.mp4' });

function library(): { client: FakeClient; rows: () => Video[] } {
  let replaced: Video = REPLACED;
  const client = createFakeClient({
    listVideos: () => ({ data: [replaced, OTHER], pagination: { page: 1, limit: 25, total: 2, totalPages: 1 } }),
    ...savingsHandlers(REPLACED),
  });
  const restore = client.handlers.restoreVideo!;
  client.handlers.restoreVideo = (input) => {
    replaced = { ...REPLACED, sizeBytes: 50 * MB, videoCodec: 'h264', updatedAt: '2026-02-14T10:00:00.000Z' };
    return restore(input);
  };
  return { client, rows: () => [replaced, OTHER] };
}

const rowOf = (name: string) => screen.getByRole('group', { name: `Transcoding of ${name}` });

describe('a library row’s transcode state', () => {
  it('shows the saving of a replaced video and restores its original after a confirmation', async () => {
    const user = userEvent.setup();
    const { client } = library();
    renderUi(<LibraryPage onJobCreated={() => {}} />, storesAs('operate', client));
    const restore = await screen.findByRole('button', { name: 'Restore original of Holiday' });
    expect(rowOf('Holiday')).toHaveTextContent('Saved 20 MB (40 %)');
    // a video never replaced shows nothing
    await waitFor(() => expect(client.callsOf('getVideoTranscodes')).toEqual([{ id: REPLACED.id }, { id: OTHER.id }]));
    expect(screen.queryByRole('group', { name: 'Transcoding of Other' })).not.toBeInTheDocument();

    await user.click(restore);
    const dialog = await screen.findByRole('dialog', { name: 'Restore the original?' });
    expect(dialog).toHaveTextContent('(50 MB, h264) goes back under inbox/holiday.mp4');
    await user.click(within(dialog).getByRole('button', { name: 'Keep the transcoded file' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Restore the original?' })).not.toBeInTheDocument());
    expect(client.callsOf('restoreVideo')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Restore original of Holiday' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Restore the original?' })).getByRole('button', { name: 'Restore original' }));
    await waitFor(() => expect(client.callsOf('restoreVideo')).toEqual([{ id: REPLACED.id }]));
    // the row follows: the library re-read (size back), no restore any more
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Restore original of Holiday' })).not.toBeInTheDocument());
    await waitFor(() => expect(client.callsOf('listVideos')).toHaveLength(2));
    expect(await screen.findByText('Original restored')).toBeInTheDocument();
  });

  it('a read token sees the saving, and the restore inert with the reason', async () => {
    const user = userEvent.setup();
    const { client } = library();
    renderUi(<LibraryPage onJobCreated={() => {}} />, storesAs('read', client));
    const restore = await screen.findByRole('button', { name: 'Restore original of Holiday' });
    expect(restore).toHaveAttribute('aria-disabled', 'true');
    expect(restore).toHaveAttribute('data-operation', 'restoreVideo');
    expect(restore).toHaveAccessibleDescription(denialMessage('read', 'operate'));
    await user.click(restore);
    expect(screen.queryByRole('dialog', { name: 'Restore the original?' })).not.toBeInTheDocument();
    expect(client.callsOf('restoreVideo')).toEqual([]);
  });

  it('says why a restore was refused, in the dialog', async () => {
    const user = userEvent.setup();
    const { client } = library();
    client.handlers.restoreVideo = () => {
      throw new ApiError('INVALID_TRANSITION', 'inbox/holiday.mp4 is taken by another file');
    };
    renderUi(<LibraryPage onJobCreated={() => {}} />, storesAs('admin', client));
    await user.click(await screen.findByRole('button', { name: 'Restore original of Holiday' }));
    const dialog = await screen.findByRole('dialog', { name: 'Restore the original?' });
    await user.click(within(dialog).getByRole('button', { name: 'Restore original' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('inbox/holiday.mp4 is taken by another file');
  });
});

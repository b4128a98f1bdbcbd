// @vitest-environment jsdom
/** Library multi-select: bulk actions make one job per selected video; outputs show under their source. */
import '../../testing/setup';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Video } from '../../../../shared/contracts/video';
import { toastStore } from '../../stores/toast-store';
import { createFakeClient, makeJob, makeVideo } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { groupUnderSources } from './library-bulk';
import { LibraryPage } from './LibraryPage';

const A = makeVideo({ id: 'aaaaaaaa-0000-4000-8000-000000000001', title: 'Beach', filename: 'beach.mov', path: 'inbox/beach.mov' });
const B = makeVideo({ id: 'aaaaaaaa-0000-4000-8000-000000000002', title: 'Forest', filename: 'forest.mkv', path: 'inbox/forest.mkv' });
const BROKEN = makeVideo({ id: 'aaaaaaaa-0000-4000-8000-000000000003', title: 'Broken', filename: 'broken.mp4', path: 'inbox/broken.mp4', valid: false });
const REENCODE = makeJob({ id: 'bbbbbbbb-0000-4000-8000-000000000001', type: 'reencode_streaming', status: 'completed', params: { videoId: A.id }, input: { videoId: A.id, title: 'Beach', path: A.path, durationSeconds: 65 } });
// the output is listed first (newest first), and comes from Beach
const OUTPUT = makeVideo({ id: 'aaaaaaaa-0000-4000-8000-000000000004', title: 'Beach', filename: 'beach.mp4', path: 'playback/beach.mp4', directoryType: 'playback', sourceJobId: REENCODE.id });

function setup(videos: Video[]) {
  let n = 0;
  const client = createFakeClient({
    listVideos: () => ({ data: videos, pagination: { page: 1, limit: 25, total: videos.length, totalPages: 1 } }),
    getVideo: ({ id }) => ({ ...videos.find((v) => v.id === id)!, tags: [] }),
    getVideoThumbnail: () => {
      throw new Error('none');
    },
    getJob: ({ id }) => ({ ...(id === REENCODE.id ? REENCODE : makeJob({ id })), log: '' }),
    createJob: (input) => ({ id: `cccccccc-0000-4000-8000-00000000000${++n}`, type: input.type as 'validate', status: 'pending', progress: 0, createdAt: '2026-02-13T10:00:00.000Z' }),
  });
  return { client, stores: storesAs('admin', client) };
}

describe('library multi-select', () => {
  it('creates one job per selected video for each bulk action, leaving out the videos an action cannot take', async () => {
    const user = userEvent.setup();
    const { client, stores } = setup([A, B, BROKEN]);
    renderUi(<LibraryPage onJobCreated={() => {}} />, stores);
    await screen.findByRole('checkbox', { name: 'Select Beach' });
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('checkbox', { name: 'Select all videos on this page' }));
    const bar = await screen.findByRole('region', { name: 'Bulk actions' });
    expect(bar).toHaveTextContent('3 selected');
    await user.click(within(bar).getByRole('button', { name: 'Validate' }));
    await waitFor(() => expect(client.callsOf('createJob')).toHaveLength(3));
    expect(client.callsOf('createJob')).toEqual([A, B, BROKEN].map((v) => ({ type: 'validate', params: { videoId: v.id } })));
    // done: the selection is cleared
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument());

    await user.click(screen.getByRole('checkbox', { name: 'Select Beach' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select Broken' }));
    const again = screen.getByRole('region', { name: 'Bulk actions' });
    expect(again).toHaveTextContent('2 selected');
    await user.click(within(again).getByRole('button', { name: 'Transcode (HEVC)' }));
    await waitFor(() => expect(client.callsOf('createJob')).toHaveLength(4));
    expect(client.callsOf('createJob').at(-1)).toEqual({ type: 'transcode', params: { videoId: A.id } });
    const toast = toastStore.getState().toasts.at(-1)!;
    expect(toast.title).toBe('1 transcode job created');
    expect(toast.message).toContain('Left out: Broken (it is not valid)');

    for (const [label, type] of [['Thumbnails', 'thumbnail_generate'], ['Tags', 'tag_generation'], ['Re-encode', 'reencode_streaming']] as const) {
      await waitFor(() => expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument());
      const calls = client.callsOf('createJob').length;
      await user.click(screen.getByRole('checkbox', { name: 'Select Forest' }));
      await user.click(within(screen.getByRole('region', { name: 'Bulk actions' })).getByRole('button', { name: label }));
      await waitFor(() => expect(client.callsOf('createJob')).toHaveLength(calls + 1));
      expect(client.callsOf('createJob').at(-1)).toEqual({ type, params: { videoId: B.id } });
    }
  });

  it('moves the selected videos to the folder picked, leaving out those already there or missing', async () => {
    const user = userEvent.setup();
    const GONE = makeVideo({ id: 'aaaaaaaa-0000-4000-8000-000000000005', title: 'Gone', filename: 'gone.mp4', path: 'inbox/gone.mp4', missing: true });
    const { client, stores } = setup([A, OUTPUT, GONE]);
    renderUi(<LibraryPage onJobCreated={() => {}} />, stores);
    await screen.findByRole('checkbox', { name: 'Select Gone' });
    await user.click(screen.getByRole('checkbox', { name: 'Select all videos on this page' }));
    const bar = await screen.findByRole('region', { name: 'Bulk actions' });
    await user.click(within(bar).getByRole('button', { name: 'Move to…' }));
    await user.click(await screen.findByRole('menuitem', { name: 'playback/' }));
    await waitFor(() => expect(client.callsOf('createJob')).toHaveLength(1));
    expect(client.callsOf('createJob')).toEqual([{ type: 'move_to_library', params: { videoId: A.id, targetDirectory: 'playback' } }]);
    const toast = toastStore.getState().toasts.at(-1)!;
    expect(toast.title).toBe('1 move_to_library job created');
    expect(toast.message).toContain('Beach (it is in playback/ already)');
    expect(toast.message).toContain('Gone (its file is missing)');
  });

  it('shows an output right under the video it was made from, saying so', async () => {
    const { stores } = setup([OUTPUT, B, A]);
    renderUi(<LibraryPage onJobCreated={() => {}} />, stores);
    const note = await screen.findByText(/Output of Beach \(reencode_streaming\)/);
    const rows = within(screen.getByRole('table', { name: 'Library videos' })).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-video-id'))).toEqual([B.id, A.id, OUTPUT.id]);
    expect(rows[2]).toHaveAttribute('data-nested', 'true');
    expect(rows[2]).toContainElement(note);
  });

  it('groups outputs under sources on the page only', () => {
    const sourceOf = new Map([[OUTPUT.id, A.id]]);
    expect(groupUnderSources([OUTPUT, B], sourceOf).map((r) => [r.video.id, r.nested])).toEqual([[OUTPUT.id, false], [B.id, false]]);
    expect(groupUnderSources([A, OUTPUT], sourceOf).map((r) => [r.video.id, r.nested])).toEqual([[A.id, false], [OUTPUT.id, true]]);
  });
});

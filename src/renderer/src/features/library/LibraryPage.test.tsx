// @vitest-environment jsdom
import '../../testing/setup';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Video } from '../../../../shared/contracts/video';
import { createFakeClient, makeJob, makeVideo } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { storesAs } from '../../testing/stores';
import { LibraryPage } from './LibraryPage';

/** The library's default row: a 5 MB, 75-s video with a thumbnail. */
function video(overrides: Partial<Video>): Video {
  return makeVideo({ sizeBytes: 5 * 1024 * 1024, durationSeconds: 75, thumbnailPath: 'thumbnails/holiday.jpg', ...overrides });
}

const GOOD = video({});
const BROKEN = video({ id: '7f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d', path: 'inbox/broken.mp4', filename: 'broken.mp4', title: 'broken', valid: false, validationError: 'corrupt: Invalid data found when processing input', thumbnailPath: null, durationSeconds: null, width: null, height: null });

const GOOD_TAGS = [
  { tag: 'landscape', confidence: 1 },
  { tag: 'person', confidence: 0.91 },
  { tag: 'face', confidence: 0.84 },
  { tag: 'hd', confidence: 0.8 },
  { tag: 'silent', confidence: 0.75 },
  { tag: 'dark', confidence: 0.7 },
  { tag: 'static', confidence: 0.6 },
];

function setup() {
  const client = createFakeClient({
    listVideos: ({ tag }) => {
      const data = tag ? [GOOD, BROKEN].filter((v) => v.id === GOOD.id && GOOD_TAGS.some((t) => t.tag === tag)) : [GOOD, BROKEN];
      return { data, pagination: { page: 1, limit: 25, total: data.length, totalPages: 1 } };
    },
    getVideo: ({ id }) => (id === GOOD.id ? { ...GOOD, tags: GOOD_TAGS } : { ...BROKEN, tags: [] }),
    getVideoThumbnail: ({ id }) => ({ videoId: id, path: 'thumbnails/holiday.jpg', dataUrl: 'data:image/jpeg;base64,AAAA' }),
    createJob: (input) => ({ id: '11111111-2222-4333-8444-555555555555', type: input.type as 'validate', status: 'pending', progress: 0, createdAt: '2026-02-13T10:00:00.000Z' }),
    createReencodeJob: ({ videoId }) => ({ ...makeJob({ id: '22222222-2222-4333-8444-555555555555', type: 'reencode_streaming', status: 'pending' }), params: { videoId } }),
  });
  const onJobCreated = vi.fn();
  renderUi(<LibraryPage onJobCreated={onJobCreated} />, storesAs('admin', client));
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

  it("re-encodes through the spec's reencode shortcut", async () => {
    const user = userEvent.setup();
    const { client, onJobCreated } = setup();
    const table = await screen.findByRole('table', { name: 'Library videos' });
    await user.click(within(table).getByRole('button', { name: 'Actions for Holiday' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Re-encode for streaming' }));
    const dialog = await screen.findByRole('dialog', { name: 'Re-encode for streaming' });
    await user.click(within(dialog).getByRole('button', { name: 'Create job' }));
    await waitFor(() => expect(onJobCreated).toHaveBeenCalledWith('22222222-2222-4333-8444-555555555555'));
    expect(client.callsOf('createReencodeJob')).toEqual([{ videoId: GOOD.id }]);
    expect(client.callsOf('createJob')).toEqual([]);
  });

  it('does not offer re-encoding an invalid video', async () => {
    const user = userEvent.setup();
    setup();
    const table = await screen.findByRole('table', { name: 'Library videos' });
    await user.click(within(table).getByRole('button', { name: 'Actions for broken' }));
    expect(await screen.findByRole('menuitem', { name: 'Re-encode for streaming' })).toBeDisabled();
    expect(screen.getByRole('menuitem', { name: 'Validate metadata' })).toBeEnabled();
  });

  it("shows a video's tags under its name, most confident first, the rest behind a count", async () => {
    const { client } = setup();
    const table = await screen.findByRole('table', { name: 'Library videos' });
    const good = within(table).getByText('Holiday').closest('tr')!;
    const tags = await within(good).findByRole('list', { name: 'Tags' });
    const items = within(tags).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual(['landscape', 'person', 'face', 'hd', 'silent', '+2']);
    expect(within(tags).getByRole('button', { name: /^Tag person \(91% confidence\)/ })).toBeInTheDocument();
    expect(within(tags).getByRole('listitem', { name: '2 more tags: dark, static' })).toBeInTheDocument();
    // a video without tags shows none
    const broken = within(table).getByText('broken').closest('tr')!;
    await waitFor(() => expect(client.callsOf('getVideo')).toEqual(expect.arrayContaining([{ id: BROKEN.id }])));
    expect(within(broken).queryByRole('list', { name: 'Tags' })).toBeNull();
  });

  it('filters by a tag typed in the filters, and clears it', async () => {
    const user = userEvent.setup();
    const { client } = setup();
    const table = await screen.findByRole('table', { name: 'Library videos' });
    await within(table).findByText('broken');
    await user.type(screen.getByRole('textbox', { name: 'Tag' }), 'person');
    await waitFor(() => expect(client.callsOf('listVideos').at(-1)).toMatchObject({ tag: 'person', page: 1 }));
    await waitFor(() => expect(within(table).queryByText('broken')).toBeNull());
    expect(within(table).getByText('Holiday')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(client.callsOf('listVideos').at(-1)).not.toHaveProperty('tag'));
    expect(screen.getByRole('textbox', { name: 'Tag' })).toHaveValue('');
    expect(await within(table).findByText('broken')).toBeInTheDocument();
  });

  it('filters by a tag clicked on a row, and shows it in the tag filter', async () => {
    const user = userEvent.setup();
    const { client } = setup();
    const table = await screen.findByRole('table', { name: 'Library videos' });
    const good = within(table).getByText('Holiday').closest('tr')!;
    await user.click(await within(good).findByRole('button', { name: /^Tag face / }));
    await waitFor(() => expect(client.callsOf('listVideos').at(-1)).toMatchObject({ tag: 'face' }));
    expect(screen.getByRole('textbox', { name: 'Tag' })).toHaveValue('face');
    await waitFor(() => expect(within(table).queryByText('broken')).toBeNull());
  });
});

describe('LibraryPage scan', () => {
  it('stays on the page while the inbox is scanned: shows the scan, then the videos it registers, then that it finished', async () => {
    const user = userEvent.setup();
    let rows: Video[] = [];
    const scanJob = makeJob({ type: 'scan', status: 'pending', resourceCategory: 'cpu', params: { directoryType: 'inbox' } });
    const client = createFakeClient({
      listVideos: () => ({ data: rows, pagination: { page: 1, limit: 25, total: rows.length, totalPages: rows.length > 0 ? 1 : 0 } }),
      createJob: () => ({ id: scanJob.id, type: 'scan', status: 'pending', progress: 0, createdAt: scanJob.createdAt }),
    });
    const stores = storesAs('operate', client, { batchIntervalMs: 0 });
    stores.start();
    const onJobCreated = vi.fn();
    renderUi(<LibraryPage onJobCreated={onJobCreated} />, stores);
    await screen.findByText('The library is empty');
    await user.click(screen.getByRole('button', { name: 'Scan inbox' }));
    expect(client.callsOf('createJob')).toEqual([{ type: 'scan', params: { directoryType: 'inbox' } }]);
    const status = await screen.findByRole('region', { name: 'Scan' });
    expect(onJobCreated).not.toHaveBeenCalled();
    act(() => client.emit([{ type: 'job.updated', job: { ...scanJob, status: 'running' } }]));
    await waitFor(() => expect(status).toHaveTextContent('Scanning inbox/'));

    rows = [makeVideo({ title: 'Arrived', filename: 'arrived.mp4', path: 'inbox/arrived.mp4', directoryType: 'inbox' })];
    act(() => client.emit([{ type: 'job.progress', jobId: scanJob.id, progress: 50 }]));
    // the page is re-read within the library's refresh delay (1 s)
    expect(await screen.findByText('inbox/arrived.mp4', {}, { timeout: 3000 })).toBeInTheDocument();
    expect(within(status).getByRole('progressbar', { name: 'Scan progress 50%' })).toBeInTheDocument();

    act(() => client.emit([{ type: 'job.updated', job: { ...scanJob, status: 'completed', progress: 100 } }]));
    await waitFor(() => expect(status).toHaveTextContent('Scan of inbox/ finished'));
    await user.click(within(status).getByRole('button', { name: 'Open job' }));
    expect(onJobCreated).toHaveBeenCalledWith(scanJob.id);
    await user.click(within(status).getByRole('button', { name: 'Dismiss the scan status' }));
    expect(screen.queryByRole('region', { name: 'Scan' })).not.toBeInTheDocument();
  });
});

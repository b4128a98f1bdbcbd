import { describe, expect, it } from 'vitest';
import type { Video } from '../../../shared/contracts/video';
import { createFakeClient, makeJob, makeVideo, manualTimers } from '../testing/fake-client';
import { createLibraryStore, hasLibraryFilters, NO_LIBRARY_FILTERS } from './library-store';

const VIDEO_ID = '6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d';

const settle = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

function setup(tagsOf: () => Array<{ tag: string; confidence: number }>) {
  const client = createFakeClient({
    listVideos: () => ({ data: [], pagination: { page: 1, limit: 25, total: 0, totalPages: 0 } }),
    getVideo: ({ id }) => ({ id, tags: tagsOf() }) as unknown as Video,
  });
  const timers = manualTimers();
  const store = createLibraryStore(client, { timers, refreshDelayMs: 1000 });
  return { client, timers, store };
}

describe('library store: tags', () => {
  it('loads a video’s tags once, and again after a tag_generation job for it completes', async () => {
    let tags = [{ tag: 'dark', confidence: 0.7 }];
    const { client, timers, store } = setup(() => tags);
    store.getState().loadTags(VIDEO_ID);
    store.getState().loadTags(VIDEO_ID);
    await settle();
    expect(store.getState().tags[VIDEO_ID]).toEqual({ status: 'ready', tags: [{ tag: 'dark', confidence: 0.7 }] });
    expect(client.callsOf('getVideo')).toHaveLength(1);

    tags = [{ tag: 'person', confidence: 0.9 }];
    const job = makeJob({ type: 'tag_generation', status: 'completed', params: { videoId: VIDEO_ID } });
    store.getState().applyEvents([{ type: 'job.updated', job }]);
    // the cached tags are dropped (the row asks again) and the page is re-read once
    expect(store.getState().tags[VIDEO_ID]).toBeUndefined();
    timers.advance(1000);
    await settle();
    expect(client.callsOf('listVideos')).toHaveLength(1);
    store.getState().loadTags(VIDEO_ID);
    await settle();
    expect(store.getState().tags[VIDEO_ID]).toEqual({ status: 'ready', tags: [{ tag: 'person', confidence: 0.9 }] });
  });

  it('takes each row’s tags from the page it loads (no request per row)', async () => {
    const other = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const client = createFakeClient({
      listVideos: () => ({
        data: [makeVideo({ id: VIDEO_ID, tags: [{ tag: 'beach', confidence: 0.9 }] }), makeVideo({ id: other, tags: [] })],
        pagination: { page: 1, limit: 25, total: 2, totalPages: 1 },
      }),
    });
    const store = createLibraryStore(client);
    await store.getState().load();
    expect(store.getState().tags[VIDEO_ID]).toEqual({ status: 'ready', tags: [{ tag: 'beach', confidence: 0.9 }] });
    expect(store.getState().tags[other]).toEqual({ status: 'ready', tags: [] });
    store.getState().loadTags(VIDEO_ID);
    store.getState().loadTags(other);
    await settle();
    expect(client.callsOf('getVideo')).toHaveLength(0);
  });

  it('sends the tag filter, trimmed, with the list request', async () => {
    const { client, store } = setup(() => []);
    store.getState().setFilters({ tag: ' person ' });
    await settle();
    expect(client.callsOf('listVideos').at(-1)).toMatchObject({ tag: 'person', page: 1 });
    expect(hasLibraryFilters(store.getState().filters)).toBe(true);
    store.getState().setFilters(NO_LIBRARY_FILTERS);
    await settle();
    expect(client.callsOf('listVideos').at(-1)).not.toHaveProperty('tag');
    expect(hasLibraryFilters(store.getState().filters)).toBe(false);
  });

  it('keeps a failed tag fetch as an error (the row shows no tags)', async () => {
    const client = createFakeClient({});
    const store = createLibraryStore(client);
    store.getState().loadTags(VIDEO_ID);
    await settle();
    expect(store.getState().tags[VIDEO_ID]).toMatchObject({ status: 'error' });
  });
});

describe('library store: scans', () => {
  it('follows the scan it started: progress re-reads the page (at most once per delay) so arrivals show, then the end', async () => {
    let rows: Video[] = [];
    const client = createFakeClient({ listVideos: () => ({ data: rows, pagination: { page: 1, limit: 25, total: rows.length, totalPages: 1 } }) });
    const timers = manualTimers();
    const store = createLibraryStore(client, { timers, refreshDelayMs: 1000 });
    const scan = makeJob({ type: 'scan', status: 'pending', resourceCategory: 'cpu', params: { directoryType: 'inbox' } });
    store.getState().trackScan(scan, 'inbox');
    expect(store.getState().scan).toEqual({ jobId: scan.id, directoryType: 'inbox', status: 'pending', progress: 0, error: null });

    store.getState().applyEvents([{ type: 'job.updated', job: { ...scan, status: 'running' } }]);
    rows = [makeVideo({ id: VIDEO_ID, title: 'First' })];
    store.getState().applyEvents([{ type: 'job.progress', jobId: scan.id, progress: 20 }]);
    store.getState().applyEvents([{ type: 'job.progress', jobId: scan.id, progress: 40 }]);
    expect(store.getState().scan).toMatchObject({ status: 'running', progress: 40 });
    timers.advance(1000);
    await settle();
    expect(client.callsOf('listVideos')).toHaveLength(1);
    expect(store.getState().videos.map((v) => v.title)).toEqual(['First']);
    // another job's progress is not the scan's
    store.getState().applyEvents([{ type: 'job.progress', jobId: makeJob().id, progress: 50 }]);
    timers.advance(1000);
    await settle();
    expect(client.callsOf('listVideos')).toHaveLength(1);

    store.getState().applyEvents([{ type: 'job.updated', job: { ...scan, status: 'failed', lastError: 'inbox/ is not readable' } }]);
    expect(store.getState().scan).toMatchObject({ status: 'failed', error: 'inbox/ is not readable' });
    timers.advance(1000);
    await settle();
    expect(client.callsOf('listVideos')).toHaveLength(2);
    store.getState().dismissScan();
    expect(store.getState().scan).toBeNull();
  });

  it('picks up a scan started elsewhere, but never switches away from one still running', () => {
    const store = createLibraryStore(createFakeClient({}), { timers: manualTimers() });
    const first = makeJob({ type: 'scan', status: 'running', params: { directoryType: 'videos' } });
    const second = makeJob({ type: 'public_scan', status: 'queued', params: { directoryType: 'public' } });
    store.getState().applyEvents([{ type: 'job.created', job: first }]);
    store.getState().applyEvents([{ type: 'job.created', job: second }]);
    expect(store.getState().scan).toMatchObject({ jobId: first.id, directoryType: 'videos' });
    store.getState().applyEvents([{ type: 'job.updated', job: { ...first, status: 'completed', progress: 100 } }]);
    store.getState().applyEvents([{ type: 'job.updated', job: { ...second, status: 'running' } }]);
    expect(store.getState().scan).toMatchObject({ jobId: second.id, directoryType: 'public', status: 'running' });
  });
});

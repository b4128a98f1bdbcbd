/**
 * The Library page: videos (listVideos) with search, filters and server-side pagination, and a
 * thumbnail cache filled lazily per visible row (getVideoThumbnail → data: URL; NOT_FOUND means
 * the video has none), and a tag cache filled from the list's rows (each carries its tags; getVideo
 * per row only when a server's list does not, or after a tagging job changed them). Jobs
 * that change the library (scan, validate, move, re-encode, thumbnail, tagging …) mark the page
 * stale when they complete; it is re-read lazily, once.
 *
 * Scans (`scan`): the latest scan this window knows of is followed live (status, progress, why it
 * failed) so the page can stay where it is, and while it runs each progress report re-reads the
 * page (at most once per refresh delay): new videos appear as the scan registers and probes them.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MediaEvent } from '../../../shared/contracts/events';
import type { Job } from '../../../shared/contracts/job';
import type { Video } from '../../../shared/contracts/video';
import { FINAL_STATUSES, type JobStatus } from '../../../shared/domain/statuses';
import type { Orientation, VideoDirectory } from '../../../shared/domain/library';
import { errorMessage, isApiError } from '../api/api-error';
import type { MediaClient } from '../api/media-client';
import { realTimers, type Timers } from '../lib/batcher';

export interface LibraryFilters {
  readonly search: string;
  readonly directoryType: VideoDirectory | null;
  readonly orientation: Orientation | null;
  readonly valid: boolean | null;
  readonly missing: boolean | null;
  /** Only videos with this tag (tag_generation); '' for any. */
  readonly tag: string;
}

export const NO_LIBRARY_FILTERS: LibraryFilters = { search: '', directoryType: null, orientation: null, valid: null, missing: null, tag: '' };

export function hasLibraryFilters(f: LibraryFilters): boolean {
  return f.search.trim() !== '' || f.directoryType !== null || f.orientation !== null || f.valid !== null || f.missing !== null || f.tag.trim() !== '';
}

export type VideoTag = NonNullable<Video['tags']>[number];

export type VideoTags = { readonly status: 'loading' } | { readonly status: 'ready'; readonly tags: readonly VideoTag[] } | { readonly status: 'error'; readonly message: string };

export type Thumbnail = { readonly status: 'loading' } | { readonly status: 'ready'; readonly url: string } | { readonly status: 'none' } | { readonly status: 'error'; readonly message: string };

export interface Pagination {
  readonly page: number;
  readonly limit: number;
  readonly total: number;
  readonly totalPages: number;
}

/** A scan followed by the Library page. */
export interface LibraryScan {
  readonly jobId: string;
  readonly directoryType: string;
  readonly status: JobStatus;
  readonly progress: number;
  readonly error: string | null;
}

const SCAN_TYPES: ReadonlySet<string> = new Set(['scan', 'public_scan']);
const isFinal = (status: JobStatus) => FINAL_STATUSES.includes(status);

export interface LibraryState {
  readonly filters: LibraryFilters;
  readonly page: number;
  readonly limit: number;
  readonly videos: readonly Video[];
  readonly pagination: Pagination | null;
  readonly loading: boolean;
  readonly error: string | null;
  readonly thumbnails: Readonly<Record<string, Thumbnail>>;
  readonly tags: Readonly<Record<string, VideoTags>>;
  /** The latest scan (started here, or seen starting); null until one is, or once dismissed. */
  readonly scan: LibraryScan | null;

  load(): Promise<void>;
  /** Follows a scan this window started (the created job; its events may come before or after). */
  trackScan(job: Pick<Job, 'id' | 'status' | 'progress'>, directoryType: string): void;
  dismissScan(): void;
  setFilters(filters: Partial<LibraryFilters>): void;
  setPage(page: number): void;
  loadThumbnail(videoId: string): void;
  loadTags(videoId: string): void;
  applyEvents(events: readonly MediaEvent[]): void;
  dispose(): void;
}

/** Job types whose completion changes what the library shows. */
const LIBRARY_JOB_TYPES: ReadonlySet<string> = new Set([
  'scan',
  'public_scan',
  'validate',
  'reencode_streaming',
  'transcode',
  'thumbnail_generate',
  'move_to_library',
  'compile_random',
  'compile_quad',
  'compile_mega',
  'compile_gif',
  'tag_generation',
]);

export type LibraryStore = StoreApi<LibraryState>;

export interface LibraryStoreOptions {
  readonly refreshDelayMs?: number;
  readonly timers?: Timers;
  readonly limit?: number;
}

export function createLibraryStore(client: MediaClient, options: LibraryStoreOptions = {}): LibraryStore {
  const timers = options.timers ?? realTimers;
  const refreshDelayMs = options.refreshDelayMs ?? 1000;
  let seq = 0;
  let refreshTimer: unknown = null;

  return createStore<LibraryState>()((set, get) => ({
    filters: NO_LIBRARY_FILTERS,
    page: 1,
    limit: options.limit ?? 25,
    videos: [],
    pagination: null,
    loading: false,
    error: null,
    thumbnails: {},
    tags: {},
    scan: null,

    trackScan(job, directoryType) {
      const known = get().scan;
      // events about it may have come first: keep what they said
      if (known?.jobId === job.id) return;
      set({ scan: { jobId: job.id, directoryType, status: job.status, progress: job.progress, error: null } });
    },

    dismissScan() {
      set({ scan: null });
    },

    async load() {
      const mine = ++seq;
      const { filters, page, limit } = get();
      set({ loading: true });
      try {
        const search = filters.search.trim();
        const tag = filters.tag.trim();
        const result = await client.call('listVideos', {
          page,
          limit,
          ...(search ? { search } : {}),
          ...(filters.directoryType ? { directoryType: filters.directoryType } : {}),
          ...(filters.orientation ? { orientation: filters.orientation } : {}),
          ...(filters.valid !== null ? { valid: filters.valid ? 'true' : 'false' } : {}),
          ...(filters.missing !== null ? { missing: filters.missing ? 'true' : 'false' } : {}),
          ...(tag ? { tag } : {}),
        });
        if (mine !== seq) return;
        // the list carries each row's tags: no request per row
        const tags = { ...get().tags };
        for (const video of result.data) if (video.tags) tags[video.id] = { status: 'ready', tags: video.tags };
        set({ videos: result.data, pagination: result.pagination, tags, loading: false, error: null });
      } catch (error) {
        if (mine === seq) set({ loading: false, error: errorMessage(error) });
      }
    },

    setFilters(filters) {
      set({ filters: { ...get().filters, ...filters }, page: 1 });
      void get().load();
    },

    setPage(page) {
      if (page === get().page) return;
      set({ page });
      void get().load();
    },

    loadThumbnail(videoId) {
      if (get().thumbnails[videoId]) return;
      set({ thumbnails: { ...get().thumbnails, [videoId]: { status: 'loading' } } });
      client.call('getVideoThumbnail', { id: videoId }).then(
        (result) => set({ thumbnails: { ...get().thumbnails, [videoId]: { status: 'ready', url: result.dataUrl } } }),
        (error: unknown) => {
          const thumb: Thumbnail = isApiError(error) && error.code === 'NOT_FOUND' ? { status: 'none' } : { status: 'error', message: errorMessage(error) };
          set({ thumbnails: { ...get().thumbnails, [videoId]: thumb } });
        },
      );
    },

    loadTags(videoId) {
      if (get().tags[videoId]) return;
      set({ tags: { ...get().tags, [videoId]: { status: 'loading' } } });
      client.call('getVideo', { id: videoId }).then(
        (video) => set({ tags: { ...get().tags, [videoId]: { status: 'ready', tags: video.tags ?? [] } } }),
        (error: unknown) => set({ tags: { ...get().tags, [videoId]: { status: 'error', message: errorMessage(error) } } }),
      );
    },

    applyEvents(events) {
      let stale = false;
      let thumbnails: Record<string, Thumbnail> | null = null;
      let tags: Record<string, VideoTags> | null = null;
      let scan = get().scan;
      for (const event of events) {
        if (event.type === 'job.progress' && scan?.jobId === event.jobId) {
          // arrivals: what the scan registered so far shows on the next read
          scan = { ...scan, progress: event.progress };
          stale = true;
          continue;
        }
        if ((event.type === 'job.created' || event.type === 'job.updated') && SCAN_TYPES.has(event.job.type)) {
          const job = event.job;
          // follow the one followed, or a newer scan that starts (from here or another window)
          if (scan?.jobId === job.id || (!isFinal(job.status) && (scan === null || isFinal(scan.status)))) {
            const directoryType = typeof job.params.directoryType === 'string' ? job.params.directoryType : (scan?.directoryType ?? 'videos');
            scan = { jobId: job.id, directoryType, status: job.status, progress: job.progress, error: job.status === 'failed' ? job.lastError : null };
            if (isFinal(job.status)) stale = true;
          }
        }
        if (event.type !== 'job.updated' || event.job.status !== 'completed' || !LIBRARY_JOB_TYPES.has(event.job.type)) continue;
        stale = true;
        const videoId = event.job.params.videoId;
        if (event.job.type === 'thumbnail_generate' && typeof videoId === 'string') {
          thumbnails ??= { ...get().thumbnails };
          delete thumbnails[videoId];
        }
        if (event.job.type === 'tag_generation' && typeof videoId === 'string') {
          tags ??= { ...get().tags };
          delete tags[videoId];
        }
      }
      if (thumbnails) set({ thumbnails });
      if (tags) set({ tags });
      if (scan !== get().scan) set({ scan });
      if (stale && refreshTimer === null) {
        refreshTimer = timers.setTimeout(() => {
          refreshTimer = null;
          void get().load();
        }, refreshDelayMs);
      }
    },

    dispose() {
      if (refreshTimer !== null) timers.clearTimeout(refreshTimer);
      refreshTimer = null;
    },
  }));
}

/**
 * What every JobStore must do for the file-centric jobs page (issue #19): a search by input or
 * output file name (or job id prefix) combined with the other filters and a creation-date range,
 * paged with exact totals; and the jobs that ended per hour. Run against SQLite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import type { VideoStore } from '../../core/library-ports';
import type { JobStore } from '../../core/ports';
import { jobIdToken } from '../../../shared/domain/job-ids';
import { newJob } from './job-store-conformance';

export interface SearchStores {
  readonly jobs: JobStore;
  readonly videos: VideoStore;
  close(): Promise<void>;
}

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

export function describeJobSearchConformance(name: string, open: () => Promise<SearchStores>): void {
  describe(`${name} job search`, () => {
    it('finds jobs by the files they read or wrote, with filters, dates and pages', async () => {
      const s = await open();
      try {
        await s.videos.addVideos([
          { id: A, path: 'inbox/Holiday_100%.mp4', directoryType: 'inbox', sizeBytes: 1, mtimeMs: 1, at: 1 },
          { id: B, path: 'videos/city.mp4', directoryType: 'videos', sizeBytes: 1, mtimeMs: 1, at: 1 },
        ]);
        const [one, two, three] = await s.jobs.insertJobs([
          newJob({ type: 'validate', params: { videoId: A }, createdAt: 1_000 }),
          newJob({ type: 'compile_quad', resourceCategory: 'gpu_encode', params: { videoIds: [B, A, B, B] }, createdAt: 2_000 }),
          newJob({ type: 'validate', params: { videoId: B }, createdAt: 3_000 }),
        ]);
        await s.videos.addVideos([{ id: '33333333-3333-4333-8333-333333333333', path: 'playback/out.mp4', directoryType: 'playback', sizeBytes: 1, mtimeMs: 1, sourceJobId: three!.id, at: 2 }]);
        const ids = async (filter: Parameters<JobStore['listJobs']>[0], offset = 0, limit = 10) => {
          const page = await s.jobs.listJobs(filter, offset, limit);
          return { ids: page.rows.map((r) => r.id), total: page.total };
        };
        expect(await ids({ search: 'holiday_100%' })).toEqual({ ids: [two!.id, one!.id], total: 2 });
        expect(await ids({ search: 'holiday', type: 'validate' })).toEqual({ ids: [one!.id], total: 1 });
        expect(await ids({ search: 'holiday', resourceCategory: 'gpu_encode' })).toEqual({ ids: [two!.id], total: 1 });
        expect(await ids({ search: 'out.mp4' })).toEqual({ ids: [three!.id], total: 1 });
        expect(await ids({ search: three!.id.slice(0, 8).toUpperCase() })).toMatchObject({ ids: [three!.id] });
        // the short token the UI shows (the id's end: the start of a v7 id is its creation time)
        expect(await ids({ search: jobIdToken(three!.id) })).toMatchObject({ ids: [three!.id] });
        expect(await ids({ search: three!.id.slice(10, 20) })).toMatchObject({ total: 0 }); // start or end, not the middle
        expect(await ids({ search: 'city' }, 1, 1)).toEqual({ ids: [two!.id], total: 2 });
        expect(await ids({ search: '_' })).toMatchObject({ total: 2 }); // a literal underscore, not a wildcard
        expect(await ids({ createdFrom: 2_000 })).toEqual({ ids: [three!.id, two!.id], total: 2 });
        expect(await ids({ createdFrom: 1_500, createdTo: 3_000 })).toEqual({ ids: [two!.id], total: 1 });
        expect(await ids({ createdFrom: 1_500, status: 'running' })).toEqual({ ids: [], total: 0 });
      } finally {
        await s.close();
      }
    });

    it('counts completed and failed jobs per hour from their end times', async () => {
      const s = await open();
      try {
        const jobs = await s.jobs.insertJobs([newJob(), newJob(), newJob()]);
        expect(await s.jobs.countEndedPerHour(0)).toEqual([]);
        // end them through the store's own paths: cancel is final but not counted
        for (const job of jobs) await s.jobs.cancelJob({ jobId: job.id, at: Date.now(), logLine: 'x', requestedLogLine: 'y' });
        expect(await s.jobs.countEndedPerHour(0)).toEqual([]);
      } finally {
        await s.close();
      }
    });
  });
}

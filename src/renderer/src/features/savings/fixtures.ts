/** Canned answers of the transcode operations for component tests (a fake client's handlers). */
import type { JobResult, Savings, VideoTranscodes } from '../../../../shared/contracts/transcode';
import type { Video } from '../../../../shared/contracts/video';
import type { Handlers } from '../../testing/fake-client';

export const TRANSCODE_JOB_ID = '00000000-0000-4000-8000-00000000abcd';
const MB = 1024 * 1024;

type Outcomes = Savings['total']['outcomes'];
const NO_OUTCOMES: Outcomes = { replaced: 0, copied: 0, kept_original: 0, skipped: 0, failed: 0, restored: 0 };
const totals = (bytesSaved: number, filesReplaced: number, outcomes: Partial<Outcomes>, grossBytesSaved = bytesSaved) => ({ bytesSaved, grossBytesSaved, filesReplaced, outcomes: { ...NO_OUTCOMES, ...outcomes } });

/** 30 MB saved over two days by two replacements (one hevc in inbox, one av1 in videos), a kept original and a skip. */
export function makeSavings(groupBy: Savings['groupBy']): Savings {
  const total = totals(30 * MB, 2, { replaced: 2, kept_original: 1, skipped: 1 });
  const groups: Record<Savings['groupBy'], Savings['groups']> = {
    day: [
      { key: '2026-02-12', ...totals(20 * MB, 1, { replaced: 1, skipped: 1 }) },
      { key: '2026-02-13', ...totals(10 * MB, 1, { replaced: 1, kept_original: 1 }) },
    ],
    codec: [
      { key: 'hevc', ...totals(20 * MB, 1, { replaced: 1, kept_original: 1 }) },
      { key: 'av1', ...totals(10 * MB, 1, { replaced: 1, skipped: 1 }) },
    ],
    folder: [
      { key: 'inbox', ...totals(20 * MB, 1, { replaced: 1, kept_original: 1 }) },
      { key: 'videos/very/long/folder/name/that/goes/on', ...totals(10 * MB, 1, { replaced: 1, skipped: 1 }) },
    ],
    node: [{ key: 'ws-1', ...total }],
  };
  return { groupBy, total, groups: groups[groupBy] };
}

export function makeJobResult(overrides: Partial<JobResult> = {}): JobResult {
  return {
    jobId: TRANSCODE_JOB_ID,
    jobType: 'transcode',
    videoId: '6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d',
    outcome: 'replaced',
    reason: null,
    mode: 'replace',
    bytesIn: 50 * MB,
    bytesOut: 30 * MB,
    savedPercent: 40,
    codecIn: 'h264',
    codecOut: 'hevc',
    encoder: 'libx265',
    nodeId: 'ws-1',
    gpu: null,
    wallMs: 12_500,
    checks: [
      { name: 'decode', passed: true, detail: 'full decode, 0 errors' },
      { name: 'duration', passed: true, detail: '65.00 s vs 65.02 s' },
      { name: 'savings', passed: true, detail: '40 % ≥ 10 %' },
    ],
    at: '2026-02-13T10:40:00.000Z',
    ...overrides,
  };
}

/** A video replaced by TRANSCODE_JOB_ID (50 MB h264 → 30 MB hevc), its original in quarantine. */
export function makeQuarantined(video: Pick<Video, 'id' | 'path'>): VideoTranscodes {
  return {
    videoId: video.id,
    quarantined: {
      path: `.quarantine/00000000-a1/${video.path}`,
      originalPath: video.path,
      sizeBytes: 50 * MB,
      videoCodec: 'h264',
      jobId: TRANSCODE_JOB_ID,
      quarantinedAt: '2026-02-13T10:40:00.000Z',
      expiresAt: '2026-02-20T10:40:00.000Z',
    },
    history: [
      {
        action: 'replaced',
        jobId: TRANSCODE_JOB_ID,
        at: '2026-02-13T10:40:00.000Z',
        previousPath: video.path,
        previousCodec: 'h264',
        previousSizeBytes: 50 * MB,
        newPath: video.path,
        newCodec: 'hevc',
        newSizeBytes: 30 * MB,
      },
    ],
  };
}

/** Handlers for the four operations: `video` replaced and in quarantine until restored. */
export function savingsHandlers(video: Pick<Video, 'id' | 'path'>): Handlers {
  let restored = false;
  return {
    getSavings: ({ groupBy }) => makeSavings(groupBy ?? 'day'),
    getJobResult: ({ id }) => makeJobResult({ jobId: id }),
    getVideoTranscodes: ({ id }) => {
      if (id !== video.id) return { videoId: id, quarantined: null, history: [] };
      const replaced = makeQuarantined(video);
      if (!restored) return replaced;
      const back = { ...replaced.history[0]!, action: 'restored' as const, at: '2026-02-14T10:00:00.000Z', previousCodec: 'hevc', previousSizeBytes: 30 * MB, newCodec: 'h264', newSizeBytes: 50 * MB };
      return { videoId: id, quarantined: null, history: [back, ...replaced.history] };
    },
    restoreVideo: ({ id }) => {
      restored = true;
      return { videoId: id, path: video.path, sizeBytes: 50 * MB, videoCodec: 'h264' };
    },
  };
}

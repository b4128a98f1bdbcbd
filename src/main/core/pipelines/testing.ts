/** A library video for the pipelines' core tests: an HEVC/Opus MKV in the inbox, validated 40 days before NOW. */
import type { VideoRecord } from '../library-ports';

export const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;

export function video(over: Partial<VideoRecord> = {}): VideoRecord {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    path: 'inbox/holiday/GOPR0042.MKV',
    filename: 'GOPR0042.MKV',
    title: 'GOPR0042',
    directoryType: 'inbox',
    sizeBytes: 50_000_000,
    mtimeMs: 1_000,
    durationSeconds: 700,
    width: 1920,
    height: 1080,
    fps: 30,
    videoCodec: 'hevc',
    audioCodec: 'opus',
    bitrate: 6_000_000,
    orientation: 'landscape',
    hasAudio: true,
    valid: true,
    validationError: null,
    missing: false,
    thumbnailPath: null,
    reencodeJobId: null,
    sourceJobId: null,
    createdAt: 0,
    updatedAt: 0,
    probedAt: NOW - 40 * DAY,
    ...over,
  };
}

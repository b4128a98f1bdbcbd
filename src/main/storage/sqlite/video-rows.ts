/** Mapping between SQLite rows of `videos` and VideoRecord. */
import type { Orientation, VideoDirectory } from '../../../shared/domain/library';
import type { VideoRecord } from '../../core/library-ports';

export interface VideoRow {
  id: string;
  path: string;
  filename: string;
  title: string;
  directory_type: string;
  size_bytes: number | null;
  mtime_ms: number | null;
  duration_seconds: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  video_codec: string | null;
  audio_codec: string | null;
  bitrate: number | null;
  orientation: string | null;
  has_audio: number | null;
  valid: number | null;
  validation_error: string | null;
  missing: number;
  thumbnail_path: string | null;
  reencode_job_id: string | null;
  source_job_id: string | null;
  created_at: number;
  updated_at: number;
  probed_at: number | null;
}

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);

export function rowToVideo(r: VideoRow): VideoRecord {
  return {
    id: r.id,
    path: r.path,
    filename: r.filename,
    title: r.title,
    directoryType: r.directory_type as VideoDirectory,
    sizeBytes: r.size_bytes,
    mtimeMs: r.mtime_ms,
    durationSeconds: r.duration_seconds,
    width: r.width,
    height: r.height,
    fps: r.fps,
    videoCodec: r.video_codec,
    audioCodec: r.audio_codec,
    bitrate: r.bitrate,
    orientation: r.orientation as Orientation | null,
    hasAudio: bool(r.has_audio),
    valid: bool(r.valid),
    validationError: r.validation_error,
    missing: r.missing === 1,
    thumbnailPath: r.thumbnail_path,
    reencodeJobId: r.reencode_job_id,
    sourceJobId: r.source_job_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    probedAt: r.probed_at,
  };
}

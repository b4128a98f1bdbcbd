/** Turns VideoRecords into the API's shape (ISO timestamps). */
import type { Video } from '../../shared/contracts/video';
import type { VideoRecord } from '../core/library-ports';

export function toVideoView(v: VideoRecord): Video {
  return {
    id: v.id,
    path: v.path,
    filename: v.filename,
    title: v.title,
    directoryType: v.directoryType,
    sizeBytes: v.sizeBytes,
    durationSeconds: v.durationSeconds,
    width: v.width,
    height: v.height,
    fps: v.fps,
    videoCodec: v.videoCodec,
    audioCodec: v.audioCodec,
    bitrate: v.bitrate,
    orientation: v.orientation,
    hasAudio: v.hasAudio,
    valid: v.valid,
    validationError: v.validationError,
    missing: v.missing,
    thumbnailPath: v.thumbnailPath,
    reencodeJobId: v.reencodeJobId,
    sourceJobId: v.sourceJobId,
    createdAt: new Date(v.createdAt).toISOString(),
    updatedAt: new Date(v.updatedAt).toISOString(),
    probedAt: v.probedAt === null ? null : new Date(v.probedAt).toISOString(),
  };
}

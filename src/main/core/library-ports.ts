/**
 * The library's port: videos with their probed metadata. Paths are library-relative; the
 * adapters never touch the file system.
 */
import type { Orientation, VideoDirectory } from '../../shared/domain/library';

export interface VideoRecord {
  readonly id: string;
  readonly path: string;
  readonly filename: string;
  readonly title: string;
  readonly directoryType: VideoDirectory;
  readonly sizeBytes: number | null;
  readonly mtimeMs: number | null;
  readonly durationSeconds: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly fps: number | null;
  readonly videoCodec: string | null;
  readonly audioCodec: string | null;
  readonly bitrate: number | null;
  readonly orientation: Orientation | null;
  readonly hasAudio: boolean | null;
  readonly valid: boolean | null;
  readonly validationError: string | null;
  readonly missing: boolean;
  readonly thumbnailPath: string | null;
  readonly reencodeJobId: string | null;
  readonly sourceJobId: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly probedAt: number | null;
}

export interface NewVideoFile {
  readonly id: string;
  readonly path: string;
  readonly directoryType: VideoDirectory;
  readonly sizeBytes: number | null;
  readonly mtimeMs: number | null;
  readonly sourceJobId?: string | null;
  readonly at: number;
}

export interface VideoMetadata {
  readonly durationSeconds: number;
  readonly width: number;
  readonly height: number;
  readonly fps: number | null;
  readonly videoCodec: string;
  readonly audioCodec: string | null;
  readonly bitrate: number | null;
  readonly orientation: Orientation;
  readonly hasAudio: boolean;
  readonly sizeBytes: number;
}

export interface VideoFilter {
  readonly search?: string;
  readonly directoryType?: VideoDirectory;
  readonly orientation?: Orientation;
  readonly valid?: boolean;
  readonly missing?: boolean;
  readonly minDuration?: number;
  readonly maxDuration?: number;
  /** Has this tag (tag_generation, any confidence stored). */
  readonly tag?: string;
}

export interface VideoStore {
  /** Adds files not known yet (by path); returns the added ones. Known paths are left as they are (and un-marked missing). */
  addVideos(files: readonly NewVideoFile[]): Promise<VideoRecord[]>;
  getVideo(id: string): Promise<VideoRecord | undefined>;
  getVideoByPath(path: string): Promise<VideoRecord | undefined>;
  listVideos(filter: VideoFilter, offset: number, limit: number): Promise<{ rows: VideoRecord[]; total: number }>;
  /** Ids of every video matching the filter (for random selection); bounded by `max`. */
  listVideoIds(filter: VideoFilter, max: number): Promise<string[]>;
  recordProbe(id: string, result: { ok: true; metadata: VideoMetadata } | { ok: false; error: string }, at: number): Promise<VideoRecord>;
  setThumbnail(id: string, thumbnailPath: string, at: number): Promise<VideoRecord>;
  setReencodeJob(id: string, jobId: string, at: number): Promise<VideoRecord>;
  moveVideo(id: string, path: string, directoryType: VideoDirectory, at: number): Promise<VideoRecord>;
  /** Marks videos of a folder missing when their path is not in `present`, and present ones not missing; returns how many went missing. */
  markMissing(directoryType: VideoDirectory, present: ReadonlySet<string>, at: number): Promise<number>;
}

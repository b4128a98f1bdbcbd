/**
 * The library's port: videos with their probed metadata. Paths are library-relative; the
 * adapters never touch the file system.
 */
import type { Orientation, VideoDirectory } from '../../shared/domain/library';
import type { AttemptFence } from './ports';

/** A fenced write of a published file: the attempt (fencing token) and the file's library-relative path, whose partial record goes with the write. */
export interface OutputFence extends AttemptFence {
  readonly path: string;
}

export type ProbeVerdict =
  | { readonly ok: true; readonly metadata: VideoMetadata }
  | { readonly ok: false; readonly error: string; readonly file?: { readonly sizeBytes: number; readonly mtimeMs: number } };

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
  /** The videos with these ids that exist, in one read (a page of jobs names its inputs). */
  videosByIds(ids: readonly string[]): Promise<VideoRecord[]>;
  /** The videos these jobs wrote (sourceJobId), in one read. */
  videosFromJobs(jobIds: readonly string[]): Promise<VideoRecord[]>;
  listVideos(filter: VideoFilter, offset: number, limit: number): Promise<{ rows: VideoRecord[]; total: number }>;
  /** Ids of every video matching the filter (for random selection); bounded by `max`. */
  listVideoIds(filter: VideoFilter, max: number): Promise<string[]>;
  /**
   * A probe's verdict: valid with fresh metadata, or invalid with the reason. An invalid verdict may
   * carry `file`, the size and mtime of the file it is about: the row's then follow it, so a later
   * look can tell whether the file changed since (validate.ts keeps a full decode's verdict on a file
   * that did not).
   */
  recordProbe(id: string, result: ProbeVerdict, at: number): Promise<VideoRecord>;
  setThumbnail(id: string, thumbnailPath: string, at: number): Promise<VideoRecord>;
  /**
   * Records a video a job has just published, with its verified metadata, in one fenced write: only
   * while the attempt owns its job, and forgetting the file's partial record (`fence.path`, which is
   * also the video's path) in the same transaction. A row already at that path (a file that had gone
   * missing) is replaced. Null when fenced: nothing was written.
   */
  publishVideo(file: NewVideoFile & { readonly metadata: VideoMetadata }, fence: OutputFence): Promise<VideoRecord | null>;
  /** Sets a video's thumbnail to a just-published file, fenced as publishVideo; returns the thumbnail it replaced. Null when fenced. */
  publishThumbnail(id: string, fence: OutputFence, at: number): Promise<{ video: VideoRecord; previous: string | null } | null>;
  setReencodeJob(id: string, jobId: string, at: number): Promise<VideoRecord>;
  moveVideo(id: string, path: string, directoryType: VideoDirectory, at: number): Promise<VideoRecord>;
  /** Marks videos of a folder missing when their path is not in `present`, and present ones not missing; returns how many went missing. */
  markMissing(directoryType: VideoDirectory, present: ReadonlySet<string>, at: number): Promise<number>;
}

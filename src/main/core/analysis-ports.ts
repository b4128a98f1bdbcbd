/**
 * The analysis store's port: what the analysis jobs found about a video and what they chose.
 *
 * - Scenes per video: the last `scene_extract` run replaces the video's scenes (start, end, the
 *   cut score that opened the scene, mean motion, keyframe image and optional clip).
 * - Segments per job: the time ranges a `digest_generate` / `highlight_generate` job chose (and
 *   rendered into one video), or the clips a `clip_generate` job exported (one video each).
 *   `clip_generate` reads a digest's segments back by the digest's job id.
 * - Tags per video with a confidence 0–1, optionally for a time range (null = the whole video),
 *   written by `tag_generation`; the digest scorer reads them (a window overlapping a confident
 *   tag scores higher).
 *
 * Times are seconds from the video's first frame; paths are library-relative.
 */

export interface SceneRecord {
  /** 0-based, in time order. */
  readonly index: number;
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** Strength of the cut that opens the scene, ffmpeg's `scene` scale 0–1 (0 for the first scene). */
  readonly score: number;
  /** Mean frame difference inside the scene, percent of full scale (0–100); null when unknown. */
  readonly motion: number | null;
  readonly keyframePath: string | null;
  readonly clipPath: string | null;
}

export interface StoredScene extends SceneRecord {
  readonly videoId: string;
  readonly jobId: string;
  readonly createdAt: number;
}

export type SegmentKind = 'digest' | 'highlight' | 'clip';

export interface SegmentRecord {
  readonly index: number;
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** The selection score (0–1) of the segment; null for explicit ranges. */
  readonly score: number | null;
  /** The library video made from it (the whole digest for digest/highlight, the clip for clip). */
  readonly outputVideoId: string | null;
}

export interface SegmentSet {
  readonly jobId: string;
  readonly videoId: string;
  readonly kind: SegmentKind;
  readonly createdAt: number;
  readonly segments: readonly SegmentRecord[];
}

export interface TagRecord {
  readonly tag: string;
  /** 0–1. */
  readonly confidence: number;
  /** The time range the tag was seen in; both null for the whole video. */
  readonly startSeconds: number | null;
  readonly endSeconds: number | null;
}

export interface StoredTag extends TagRecord {
  readonly videoId: string;
  readonly jobId: string | null;
  readonly createdAt: number;
}

export interface AnalysisStore {
  /** Replaces every scene of the video with these (one transaction). */
  replaceScenes(videoId: string, jobId: string, scenes: readonly SceneRecord[], at: number): Promise<void>;
  /** The video's scenes in time order (empty when never analysed). */
  listScenes(videoId: string): Promise<StoredScene[]>;
  /** Stores (or replaces, for a retried attempt) the segments of one job. */
  saveSegments(set: Omit<SegmentSet, 'createdAt'>, at: number): Promise<void>;
  getSegments(jobId: string): Promise<SegmentSet | undefined>;
  /** Replaces the tags one job wrote for the video (tags from other jobs stay). */
  replaceTags(videoId: string, jobId: string, tags: readonly TagRecord[], at: number): Promise<void>;
  /** Every tag of the video, most confident first. */
  listTags(videoId: string): Promise<StoredTag[]>;
  /**
   * The tags of several videos in one query (a page of the library): each tag once, with its
   * highest confidence, most confident first (then by name). Videos without tags are left out.
   */
  tagsOfVideos(videoIds: readonly string[]): Promise<Map<string, TagSummary[]>>;
}

export interface TagSummary {
  readonly tag: string;
  readonly confidence: number;
}

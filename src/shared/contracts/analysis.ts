/** Boundary shapes of analysis results (GET /api/media/videos/:id/scenes, /jobs/:id/segments). */
import { z } from 'zod';
import { videoId } from './video';

export const sceneSchema = z.object({
  index: z.number().int(),
  /** Seconds from the start of the video. */
  startSeconds: z.number(),
  endSeconds: z.number(),
  /** Strength of the cut that opens the scene, ffmpeg's `scene` scale 0–1 (0 for the first). */
  score: z.number(),
  /** Mean frame difference inside the scene, percent of full scale. */
  motion: z.number().nullable(),
  /** Library-relative JPEG of the scene's middle frame. */
  keyframePath: z.string().nullable(),
  /** Library-relative clip of the scene (scene_extract with extractClips). */
  clipPath: z.string().nullable(),
});
export type Scene = z.infer<typeof sceneSchema>;

export const videoScenesSchema = z.object({
  videoId,
  /** The scene_extract job that found them; null when the video was never analysed. */
  jobId: z.string().nullable(),
  analysedAt: z.string().nullable(),
  scenes: z.array(sceneSchema),
});

export const segmentSchema = z.object({
  index: z.number().int(),
  startSeconds: z.number(),
  endSeconds: z.number(),
  /** Selection score 0–1; null for explicit clip ranges. */
  score: z.number().nullable(),
  /** The library video made from it (the whole digest/reel, or the clip). */
  outputVideoId: z.string().nullable(),
});

export const jobSegmentsSchema = z.object({
  jobId: z.string(),
  videoId,
  kind: z.enum(['digest', 'highlight', 'clip']),
  createdAt: z.string(),
  segments: z.array(segmentSchema),
});

/** Boundary shapes of library videos (GET /api/media/videos, /videos/:id). */
import { z } from 'zod';
import { uuidOf } from '../domain/id-schemas';
import { ORIENTATIONS, VIDEO_DIRECTORIES } from '../domain/library';

export const videoId = uuidOf('video');

export const videoSchema = z.object({
  id: videoId,
  /** Relative to the library root. */
  path: z.string(),
  filename: z.string(),
  title: z.string(),
  directoryType: z.enum(VIDEO_DIRECTORIES),
  sizeBytes: z.number().int().nullable(),
  durationSeconds: z.number().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  fps: z.number().nullable(),
  videoCodec: z.string().nullable(),
  audioCodec: z.string().nullable(),
  bitrate: z.number().int().nullable(),
  orientation: z.enum(ORIENTATIONS).nullable(),
  hasAudio: z.boolean().nullable(),
  /** null until probed. */
  valid: z.boolean().nullable(),
  validationError: z.string().nullable(),
  /** The file was not found by the last scan of its folder. */
  missing: z.boolean(),
  thumbnailPath: z.string().nullable(),
  reencodeJobId: z.string().nullable(),
  /** The job that produced this file (re-encode, compilation), if any. */
  sourceJobId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  probedAt: z.string().nullable(),
  /** The video's tags (tag_generation), each once with its highest confidence, most confident first; in lists and GET /videos/:id (absent only without an analysis store). */
  tags: z.array(z.object({ tag: z.string(), confidence: z.number() })).optional(),
});
export type Video = z.infer<typeof videoSchema>;

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listVideosQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  /** Matches title or filename (case-insensitive substring). */
  search: z.string().max(200).optional(),
  directoryType: z.enum(VIDEO_DIRECTORIES).optional(),
  orientation: z.enum(ORIENTATIONS).optional(),
  valid: booleanQuery.optional(),
  missing: booleanQuery.optional(),
  /** Only videos with this tag (tag_generation: `face`, `person`, `dark`, `4k`, …; case-insensitive). */
  tag: z.string().trim().min(1).max(100).toLowerCase().optional(),
});
export type ListVideosQuery = z.infer<typeof listVideosQuerySchema>;

export const videoListSchema = z.object({
  data: z.array(videoSchema),
  pagination: z.object({ page: z.number().int(), limit: z.number().int(), total: z.number().int(), totalPages: z.number().int() }),
});

export const videoIdInputSchema = z.strictObject({ id: videoId });

/** A thumbnail as a data: URL (small JPEGs; the same over IPC and HTTP, and no auth-less image URL). */
export const videoThumbnailSchema = z.object({ videoId, path: z.string(), dataUrl: z.string() });

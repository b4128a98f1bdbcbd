/**
 * Parameter schemas of the spec's job types, with the spec's defaults filled in.
 * Paths are library-relative; the processors resolve them inside the library root.
 */
import { z } from 'zod';

const videoId = z.uuid({ message: 'must be a video id (UUID)' });

/** A path relative to the library root: no absolute paths, no `..` segments, no NUL bytes. */
export const libraryRelativePath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.startsWith('/') && !/^[a-zA-Z]:[\\/]/.test(p), 'must be relative to the library root')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not contain ".." segments')
  .refine((p) => !p.includes('\0'), 'must not contain NUL bytes');

const orientation = z.enum(['landscape', 'portrait', 'square', 'any']);
const x264Preset = z.enum([
  'ultrafast',
  'superfast',
  'veryfast',
  'faster',
  'fast',
  'medium',
  'slow',
  'slower',
  'veryslow',
]);

export const scanParams = z.strictObject({
  directoryType: z.enum(['videos', 'inbox', 'public', 'playback', 'compilations']).default('videos'),
  skipExisting: z.boolean().default(true),
});

export const publicScanParams = z.strictObject({
  directoryType: z.enum(['public']).default('public'),
  skipExisting: z.boolean().default(true),
});

export const validateParams = z.strictObject({ videoId });

export const reencodeStreamingParams = z.strictObject({
  videoId,
  targetBitrate: z.number().int().min(100).max(100_000).default(2000),
  preset: x264Preset.default('medium'),
  crf: z.number().int().min(0).max(51).default(23),
  outputPath: libraryRelativePath.optional(),
});

const compileCommon = {
  outputPath: libraryRelativePath.optional(),
};

export const compileRandomParams = z
  .strictObject({
    count: z.number().int().min(1).max(500).default(10),
    minDuration: z.number().min(0).default(0),
    maxDuration: z.number().positive().optional(),
    orientation: orientation.default('any'),
    seed: z.number().int().optional(),
    ...compileCommon,
  })
  .refine((p) => p.maxDuration === undefined || p.maxDuration >= p.minDuration, {
    message: 'maxDuration must be at least minDuration',
    path: ['maxDuration'],
  });

export const compileQuadParams = z.strictObject({
  videoIds: z.array(videoId).length(4, 'a 2×2 grid needs exactly 4 videos'),
  ...compileCommon,
});

export const compileMegaParams = z.strictObject({
  videoIds: z.array(videoId).min(2).max(100),
  layout: z.enum(['grid', 'concat']).default('grid'),
  ...compileCommon,
});

export const compileGifParams = z.strictObject({
  videoId,
  start: z.number().min(0).default(0),
  duration: z.number().positive().max(60).default(5),
  fps: z.number().int().min(1).max(30).default(10),
  width: z.number().int().min(16).max(1920).default(480),
  outputPath: libraryRelativePath.optional(),
});

export const digestGenerateParams = z.strictObject({
  videoId,
  targetLength: z.number().positive().max(3600).default(60),
  includeHighlights: z.boolean().default(true),
});

export const clipGenerateParams = z.strictObject({
  videoId,
  digestJobId: z.uuid().optional(),
  ranges: z
    .array(z.strictObject({ start: z.number().min(0), end: z.number().positive() }))
    .max(200)
    .optional(),
});

export const highlightGenerateParams = z.strictObject({
  videoId,
  targetLength: z.number().positive().max(3600).default(30),
  count: z.number().int().min(1).max(100).optional(),
});

export const tagGenerationParams = z.strictObject({
  videoId,
  minConfidence: z.number().min(0).max(1).default(0.5),
  /** Frames given to the model, spread over the video; default one per 10 s, 8 to 32. */
  sampleCount: z.number().int().min(1).max(200).optional(),
});

export const sceneExtractParams = z.strictObject({
  videoId,
  threshold: z.number().min(0).max(1).default(0.3),
  minSceneLength: z.number().min(0).default(1),
  extractClips: z.boolean().default(false),
});

export const thumbnailGenerateParams = z.strictObject({
  videoId,
  /** Seconds into the video; when absent the processor uses 25 % of the duration. */
  timestamp: z.number().min(0).optional(),
  width: z.number().int().min(16).max(3840).default(640),
});

export const moveToLibraryParams = z.strictObject({
  videoId,
  targetDirectory: z.enum(['videos', 'public', 'playback', 'compilations']).default('videos'),
});

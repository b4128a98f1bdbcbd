/**
 * Parameter schemas of the spec's job types, with the spec's defaults filled in.
 * Paths are library-relative; the processors resolve them inside the library root.
 */
import { z } from 'zod';
import { uuidOf } from './id-schemas';

const videoId = uuidOf('video');

/** A path relative to the library root: no absolute paths, no `..` segments, no NUL bytes. */
export const libraryRelativePath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.startsWith('/') && !/^[a-zA-Z]:[\\/]/.test(p), 'must be relative to the library root')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not contain ".." segments')
  .refine((p) => !p.includes('\0'), 'must not contain NUL bytes');

/**
 * The longest file name (in UTF-8 bytes) an output may have: 255, what most file systems allow,
 * less what the attempt's partial name (`.<job8>-a<n>.partial`) and a ` (n)` suffix add.
 */
export const OUTPUT_NAME_MAX_BYTES = 215;

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/**
 * An output file a job type writes: a library-relative FILE path inside one of `folders` (a
 * sub-folder is fine), whose name ends with one of `extensions`; not the root, not a folder, no
 * `.` or `..` segment, not a hidden name, not a name reserved for partial files, not too long.
 * Refused at create time (400 VALIDATION_FAILED naming the field), since no retry could heal it.
 */
export function outputFilePath(folders: readonly string[], extensions: readonly string[]) {
  const list = (items: readonly string[]) => (items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`);
  const description = `A library-relative file inside ${list(folders.map((f) => `${f}/`))} ending with ${list(extensions)}; chosen by the job when absent`;
  return libraryRelativePath.describe(description).superRefine((path, ctx) => {
    const problem = ((): string | null => {
      if (path === '.' || path === './' || path === '/') return 'must be a file path, not the library root';
      if (path.endsWith('/') || path.endsWith('\\')) return 'must be a file, not a folder';
      const segments = path.split(/[\\/]/);
      if (segments.some((s) => s === '' || s === '.')) return 'must not contain empty or "." segments';
      if (segments.length < 2 || !folders.includes(segments[0]!)) return `must be a file inside ${list(folders.map((f) => `${f}/`))}`;
      const name = segments.at(-1)!;
      const dot = name.lastIndexOf('.');
      if (dot <= 0) return `must name a file ending with ${list(extensions)}`;
      if (!extensions.includes(name.slice(dot).toLowerCase())) return `must end with ${list(extensions)} (the file type this job writes)`;
      if (name.startsWith('.')) return 'must not be a hidden file';
      if (name.includes('.partial.')) return 'must not contain ".partial." (reserved for files being written)';
      if (utf8Length(name) > OUTPUT_NAME_MAX_BYTES) return `the file name must be at most ${OUTPUT_NAME_MAX_BYTES} bytes`;
      return null;
    })();
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).describe(description);
}

const VIDEO_OUTPUT_EXTENSIONS = ['.mp4', '.m4v', '.mov'] as const;

/** `verify: "decode"`: after the ffprobe check, decode the whole output; any decode error fails the attempt. */
const verifyOption = z.enum(['decode']).optional().describe('`decode`: after the ffprobe check, decode the whole output; any decode error fails the attempt');

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

/** Scans make a thumbnail for each new valid video unless told not to (processors/library/scan.ts). */
const scanThumbnails = z.boolean().default(true).describe('Make a thumbnail for each new video (inline, one at a time, in the scan\'s CPU slot)');

export const scanParams = z.strictObject({
  directoryType: z.enum(['videos', 'inbox', 'public', 'playback', 'compilations']).default('videos'),
  skipExisting: z.boolean().default(true),
  thumbnails: scanThumbnails,
});

export const publicScanParams = z.strictObject({
  directoryType: z.enum(['public']).default('public'),
  skipExisting: z.boolean().default(true),
  thumbnails: scanThumbnails,
});

export const validateParams = z.strictObject({
  videoId,
  // the health check of a library tool: ffprobe reads only headers, so a truncated or damaged file still probes fine
  decode: z.boolean().default(false).describe('Also decode the whole file (its video and audio, at the speed of a decode): any decode error marks the video invalid with the error'),
});

/**
 * Segment mode (issue #20): the video is encoded in chunks cut at keyframes, each chunk a child job
 * (resumable: a crash redoes only the chunks that were running), then joined with stream copy.
 * `auto`: on for inputs longer than 10 minutes whose encode would run in software (in a fleet too: chunks encode in software); `{ seconds }`: on, chunks of about
 * that length (software encoder); `off`: one encode.
 */
export const segmentsParam = z
  .union([z.enum(['auto', 'off']), z.strictObject({ seconds: z.number().int().min(2).max(3600) })])
  .default('auto')
  .describe('Segment mode: `auto` (chunks of 60 s for inputs over 10 minutes whose encode would run in software, in a fleet too), `off`, or `{ seconds }` to force chunks of that length');

export const reencodeStreamingParams = z.strictObject({
  videoId,
  targetBitrate: z
    .number()
    .int()
    .min(100)
    .max(100_000)
    .default(2000)
    .describe('A ceiling in kbit/s, not a target: -maxrate with a buffer of twice it; the quality comes from crf'),
  preset: x264Preset.default('medium').describe('x264 speed/size trade-off (mapped to the hardware encoder\'s nearest preset)'),
  crf: z.number().int().min(0).max(51).default(23).describe('Constant quality, x264 scale (lower is better)'),
  outputPath: outputFilePath(['playback'], VIDEO_OUTPUT_EXTENSIONS).optional(),
  verify: verifyOption,
  segments: segmentsParam,
});

const compileCommon = {
  outputPath: outputFilePath(['compilations'], VIDEO_OUTPUT_EXTENSIONS).optional(),
  verify: verifyOption,
};

export const compileRandomParams = z
  .strictObject({
    count: z.number().int().min(1).max(500).default(10),
    minDuration: z.number().min(0).default(0),
    maxDuration: z.number().positive().optional(),
    orientation: orientation.default('any'),
    seed: z.number().int().optional().describe('Makes the random choice repeatable'),
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
  outputPath: outputFilePath(['gifs'], ['.gif']).optional(),
});

export const digestGenerateParams = z.strictObject({
  videoId,
  targetLength: z.number().positive().max(3600).default(60),
  includeHighlights: z.boolean().default(true),
});

export const clipGenerateParams = z.strictObject({
  videoId,
  digestJobId: uuidOf('job').optional(),
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
  sampleCount: z.number().int().min(1).max(200).optional().describe('Frames given to the model, spread over the video; default one per 10 s, 8 to 32'),
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
  timestamp: z.number().min(0).optional().describe('Seconds into the video; default 25 % of its duration'),
  width: z.number().int().min(16).max(3840).default(640),
});

export const moveToLibraryParams = z.strictObject({
  videoId,
  targetDirectory: z.enum(['videos', 'public', 'playback', 'compilations']).default('videos'),
});

/** Output codecs of `transcode` and the containers it writes. */
export const TRANSCODE_CODECS = ['h264', 'hevc', 'av1'] as const;
export const TRANSCODE_CONTAINERS = ['mp4', 'mkv'] as const;

/**
 * `transcode`: shrink a library video to H.264/HEVC/AV1, beside it (`copy`) or in its place
 * (`replace`, only with proof: processors/transcode). Quality knobs default per codec and encoder
 * family (processors/transcode/transcode-settings.ts), so an absent value means "the sane default".
 */

/** A chunk of a segmented encode (created by its parent's plan run, never by a client). */
export const encodeChunkParams = z.strictObject({
  parentJobId: uuidOf('job'),
  index: z.number().int().min(0),
  total: z.number().int().min(1),
  /** Library-relative: the original and the parent's work folder. */
  input: libraryRelativePath,
  workDir: libraryRelativePath,
  /** Where decoding starts (half a frame before the chunk's first keyframe) and the frames to encode from there. */
  seekSeconds: z.number().min(0),
  startSeconds: z.number().min(0),
  durationSeconds: z.number().min(0),
  frames: z.number().int().min(1),
  codec: z.enum(['h264', 'hevc', 'av1']),
  /** Whose encoder arguments: `transcode`'s (buildTranscodeArgs) or `reencode_streaming`'s (H.264 with a bit-rate ceiling). */
  recipe: z.enum(['transcode', 'reencode']).default('transcode'),
  quality: z.number(),
  preset: z.string().max(32),
  maxHeight: z.number().int().optional(),
  targetBitrate: z.number().int().optional(),
  /** A replace with the live guard on: the original's size in bytes, to project the output's from the finished chunks. */
  guardAgainstBytes: z.number().int().min(1).optional(),
});

/** The audio of a segmented encode, encoded once (every kept track, as the unsegmented encode would). */
export const encodeAudioParams = z.strictObject({
  parentJobId: uuidOf('job'),
  input: libraryRelativePath,
  workDir: libraryRelativePath,
  container: z.enum(['mp4', 'mkv']),
  durationSeconds: z.number().min(0),
  tracks: z.array(z.strictObject({ index: z.number().int().min(0), codec: z.enum(['copy', 'aac', 'libopus']) })).min(1),
  bitrateKbps: z.number().int().min(32).max(512),
  channels: z.number().int().min(1).max(8).optional(),
});

export const transcodeParams = z
  .strictObject({
    videoId,
    codec: z.enum(TRANSCODE_CODECS).default('hevc').describe('Output video codec'),
    container: z.enum(TRANSCODE_CONTAINERS).optional().describe("Default: the original's (mp4 for .mp4/.m4v/.mov, mkv otherwise)"),
    mode: z.enum(['copy', 'replace']).default('copy').describe('`copy`: a new file beside the original; `replace`: the verified output takes the original\'s place (original kept in .quarantine/)'),
    crf: z.number().int().min(0).max(63).optional().describe('Software encoders (libx264/libx265/libsvtav1); default 23 / 26 / 32'),
    cq: z.number().int().min(0).max(51).optional().describe('NVENC constant quality; default 23 / 28 / 30'),
    globalQuality: z.number().int().min(1).max(51).optional().describe('QSV/VAAPI quality; default 23 / 25 / 30'),
    preset: x264Preset.default('medium').describe("Speed/size trade-off on x264's scale, mapped to each encoder's nearest preset"),
    maxHeight: z.number().int().min(144).max(4320).optional().describe('Scale down (never up) to at most this height'),
    audio: z.enum(['copy', 'aac', 'opus']).default('copy'),
    audioBitrate: z.number().int().min(32).max(512).default(128).describe('kbit/s per audio track when re-encoding audio'),
    keepAllAudio: z.boolean().default(true).describe('Keep every audio track (false: the first only)'),
    keepSubtitles: z.boolean().default(true).describe('Keep subtitle tracks (text ones become mov_text in mp4; bitmap ones need mkv)'),
    skipIfCodec: z.boolean().default(true).describe('Skip (outcome `skipped`) a video already in the target codec'),
    skipBelowBitsPerPixel: z.number().min(0).max(10).default(0.04).describe('Skip a video whose video bit rate per pixel per frame is already below this (0: never)'),
    minSavingsPercent: z.number().min(0).max(95).default(10).describe('replace: the output must be at least this much smaller'),
    liveGuard: z.boolean().default(true).describe('replace: stop early when the projected size shows the output will be larger than the original'),
    verifyQuality: z
      .strictObject({ metric: z.enum(['ssim', 'psnr']), min: z.number().min(0).max(100) })
      .optional()
      .describe('Keep the output only when ffmpeg\'s SSIM (0–1) or PSNR (dB) on sampled segments reaches `min`'),
    force: z.boolean().default(false).describe('Run even when these settings were already applied to (or tried on) this content (else 409 ALREADY_PROCESSED)'),
    outputPath: outputFilePath(['videos', 'inbox', 'public', 'playback', 'compilations'], ['.mp4', '.mkv']).optional().describe('copy: where to write (default beside the original, `<name>.<codec>.<ext>`)'),
    segments: segmentsParam,
  })
  .refine((p) => p.mode === 'copy' || p.outputPath === undefined, { message: 'outputPath is for mode "copy" (replace keeps the original\'s name)', path: ['outputPath'] })
  .refine((p) => p.verifyQuality?.metric !== 'ssim' || p.verifyQuality.min <= 1, { message: 'an SSIM minimum is between 0 and 1', path: ['verifyQuality', 'min'] })
  .refine((p) => p.outputPath === undefined || p.container === undefined || p.outputPath.toLowerCase().endsWith(`.${p.container}`), {
    message: 'outputPath must end with the container\'s extension',
    path: ['outputPath'],
  });

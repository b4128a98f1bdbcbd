/**
 * The catalog of job types: the one place that says, for each type, which resource category it
 * uses, how much VRAM it needs by default, and which parameters it takes. Clients never choose
 * the category; they may only raise the VRAM need (see create rules in the runtime).
 */
import type { z } from 'zod';
import type { ResourceCategory } from './statuses';
import * as params from './job-params';

export interface JobTypeDefinition {
  readonly category: ResourceCategory;
  readonly defaultVramMb: number;
  readonly description: string;
  readonly paramsSchema: z.ZodType<Record<string, unknown>>;
}

export const JOB_TYPES = [
  'scan',
  'public_scan',
  'validate',
  'reencode_streaming',
  'compile_random',
  'compile_quad',
  'compile_mega',
  'compile_gif',
  'digest_generate',
  'clip_generate',
  'highlight_generate',
  'tag_generation',
  'scene_extract',
  'thumbnail_generate',
  'move_to_library',
  'transcode',
  'encode_chunk',
  'encode_audio',
] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const JOB_TYPE_CATALOG: Readonly<Record<JobType, JobTypeDefinition>> = {
  scan: { category: 'cpu', defaultVramMb: 0, description: 'Scan directory for new videos', paramsSchema: params.scanParams },
  public_scan: { category: 'cpu', defaultVramMb: 0, description: 'Scan public gallery directory', paramsSchema: params.publicScanParams },
  validate: { category: 'cpu', defaultVramMb: 0, description: 'Validate video metadata (FFprobe; decode: true decodes the whole file)', paramsSchema: params.validateParams },
  reencode_streaming: { category: 'gpu_encode', defaultVramMb: 4000, description: 'Re-encode for web playback (H.264)', paramsSchema: params.reencodeStreamingParams },
  compile_random: { category: 'gpu_encode', defaultVramMb: 2000, description: 'Random video compilation', paramsSchema: params.compileRandomParams },
  compile_quad: { category: 'gpu_encode', defaultVramMb: 4000, description: '4-up grid compilation', paramsSchema: params.compileQuadParams },
  compile_mega: { category: 'gpu_encode', defaultVramMb: 6000, description: 'Large multi-video compilation', paramsSchema: params.compileMegaParams },
  compile_gif: { category: 'cpu', defaultVramMb: 0, description: 'Create GIF from video', paramsSchema: params.compileGifParams },
  digest_generate: { category: 'gpu_ai', defaultVramMb: 8000, description: 'AI-powered video digest', paramsSchema: params.digestGenerateParams },
  clip_generate: { category: 'gpu_ai', defaultVramMb: 6000, description: 'Extract clips from digest', paramsSchema: params.clipGenerateParams },
  highlight_generate: { category: 'gpu_ai', defaultVramMb: 8000, description: 'Create highlight reel', paramsSchema: params.highlightGenerateParams },
  tag_generation: { category: 'gpu_ai', defaultVramMb: 6000, description: 'AI auto-tagging', paramsSchema: params.tagGenerationParams },
  scene_extract: { category: 'gpu_ai', defaultVramMb: 8000, description: 'Scene detection and extraction', paramsSchema: params.sceneExtractParams },
  thumbnail_generate: { category: 'cpu', defaultVramMb: 0, description: 'Generate thumbnail from video', paramsSchema: params.thumbnailGenerateParams },
  move_to_library: { category: 'cpu', defaultVramMb: 0, description: 'Move video from inbox to target directory', paramsSchema: params.moveToLibraryParams },
  transcode: { category: 'gpu_encode', defaultVramMb: 2000, description: 'Shrink a video (H.264/HEVC/AV1), beside it or replacing it with proof', paramsSchema: params.transcodeParams },
  // the children of a segmented transcode (issue #20): same category as their parent, software encoders (no VRAM)
  encode_chunk: { category: 'gpu_encode', defaultVramMb: 0, description: 'One chunk of a segmented encode (a child of its transcode)', paramsSchema: params.encodeChunkParams },
  encode_audio: { category: 'gpu_encode', defaultVramMb: 0, description: 'The audio of a segmented encode (a child of its transcode)', paramsSchema: params.encodeAudioParams },
};

/** The job types that are children of a segmented encode: hidden from the job list by default, counted once through their parent. */
export const SEGMENT_CHILD_TYPES = ['encode_chunk', 'encode_audio'] as const satisfies readonly JobType[];

export function isSegmentChild(type: string): boolean {
  return (SEGMENT_CHILD_TYPES as readonly string[]).includes(type);
}

export function isJobType(value: string): value is JobType {
  return (JOB_TYPES as readonly string[]).includes(value);
}

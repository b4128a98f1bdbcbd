/**
 * Pure decisions of a transcode from its params and what was probed: the quality value per codec and
 * encoder family, the container, the key that names "these settings" (the loop breaker's), the skip
 * rules, and the duration tolerance of the proof.
 */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import type { z } from 'zod';
import type { transcodeParams } from '../../../shared/domain/job-params';

export type TranscodeParams = z.infer<typeof transcodeParams>;
export type TranscodeCodec = TranscodeParams['codec'];
export type Container = 'mp4' | 'mkv';
export type EncoderFamily = 'software' | 'nvenc' | 'qsv' | 'vaapi';

/**
 * Defaults per codec: software CRF (x264 23 is its own default; x265 26 and SVT-AV1 32 sit a little
 * under their defaults of 28 and 35 so a library copy does not visibly lose), NVENC CQ, and QSV/VAAPI
 * global quality.
 */
export const DEFAULT_QUALITY: Readonly<Record<TranscodeCodec, { readonly crf: number; readonly cq: number; readonly globalQuality: number }>> = {
  h264: { crf: 23, cq: 23, globalQuality: 23 },
  hevc: { crf: 26, cq: 28, globalQuality: 25 },
  av1: { crf: 32, cq: 30, globalQuality: 30 },
};

/** The quality value the encoder of `family` gets: the param of that family, else the codec's default. */
export function qualityFor(params: Pick<TranscodeParams, 'crf' | 'cq' | 'globalQuality'>, codec: TranscodeCodec, family: EncoderFamily): number {
  const d = DEFAULT_QUALITY[codec];
  switch (family) {
    case 'software':
      return params.crf ?? d.crf;
    case 'nvenc':
      return params.cq ?? d.cq;
    default:
      return params.globalQuality ?? d.globalQuality;
  }
}

/** The asked container, else the original's: mp4 for .mp4/.m4v/.mov, mkv for anything else. */
export function containerFor(asked: Container | undefined, originalPath: string): Container {
  if (asked) return asked;
  return ['.mp4', '.m4v', '.mov'].includes(extname(originalPath).toLowerCase()) ? 'mp4' : 'mkv';
}

/** Params that do not change what is produced or tried (which video, whether to insist, where a copy goes). */
// segments: how the encode is split over jobs, not what it produces
const NOT_SETTINGS = new Set(['videoId', 'force', 'outputPath', 'segments']);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** The name of "these settings": a hash of the job type and its params (defaults filled), less NOT_SETTINGS. Pure. */
export function settingsKey(jobType: string, params: Record<string, unknown>): string {
  const settings = Object.fromEntries(Object.entries(params).filter(([k, v]) => !NOT_SETTINGS.has(k) && v !== undefined));
  const hash = createHash('sha256').update(JSON.stringify(canonical({ jobType, settings }))).digest('hex');
  return `${jobType}:${hash.slice(0, 24)}`;
}

/** Bits of video per pixel per frame; null when a factor is unknown. Pure. */
export function bitsPerPixel(videoBitRate: number | null, width: number, height: number, fps: number | null): number | null {
  if (!videoBitRate || !fps || width <= 0 || height <= 0) return null;
  return videoBitRate / (width * height * fps);
}

export interface SkipFacts {
  readonly videoCodec: string | null;
  readonly bitsPerPixel?: number | null;
}

/** Why the video needs nothing (outcome `skipped`), or null. `bitsPerPixel` undefined: not probed yet (only the codec rule applies). Pure. */
export function skipReason(params: Pick<TranscodeParams, 'codec' | 'skipIfCodec' | 'skipBelowBitsPerPixel' | 'maxHeight'>, facts: SkipFacts, height?: number): string | null {
  // scaling down is work worth doing even in the same codec
  const scales = params.maxHeight !== undefined && height !== undefined && height > params.maxHeight;
  if (params.skipIfCodec && facts.videoCodec === params.codec && !scales) return `already ${params.codec}`;
  const bpp = facts.bitsPerPixel;
  if (bpp !== undefined && bpp !== null && params.skipBelowBitsPerPixel > 0 && bpp < params.skipBelowBitsPerPixel && !scales) {
    return `already efficient: ${bpp.toFixed(3)} bits per pixel, below ${params.skipBelowBitsPerPixel}`;
  }
  return null;
}

/**
 * How far the output's duration may be from the original's: 0.5 s, or one frame per minute of
 * video, whichever is larger (a two-hour film at 24 fps: 5 s). Pure.
 */
export function durationTolerance(durationSeconds: number, fps: number | null): number {
  const frame = fps && fps > 0 ? 1 / fps : 1 / 25;
  return Math.max(0.5, (durationSeconds / 60) * frame);
}

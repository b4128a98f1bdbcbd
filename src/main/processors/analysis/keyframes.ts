/**
 * Where a video's keyframes are near some times, from ffprobe's packet list (`flags` holding `K`),
 * read only around those times (`-read_intervals`, each a seek to the keyframe before the time
 * and a short read), so a cut list of a long film does not read the whole file.
 *
 * ffprobe prints absolute timestamps; the analysis works in ffmpeg's (relative to the file's
 * start time), so the format's `start_time` is read in the same call and subtracted. Each keyframe
 * also gives its B-frame reorder delay (pts − dts), which a stream copy ending on it needs.
 */
import { resolve } from 'node:path';
import { JobError, type JobContext } from '../processor';
import { classifyToolFailure } from '../steps/tool-failure';
import { runTracked } from '../steps/tracked-result';

export interface Keyframe {
  /** Seconds, ffmpeg's reference (file start = 0). */
  readonly t: number;
  /** pts − dts of the keyframe packet, seconds (0 without B-frames). */
  readonly reorderDelay: number;
}

export function keyframeProbeArgs(path: string, times: readonly number[]): string[] {
  // `a%b`: seek to the keyframe before a, read to b (`a%+d` would count d from that keyframe)
  const ms = (t: number) => Math.max(0, Math.round(t * 1000) / 1000);
  const intervals = [...new Set(times.map((t) => ms(t)))].sort((a, b) => a - b).map((t) => `${ms(t - 0.05)}%${ms(t + 0.15)}`);
  return [
    '-v', 'error',
    '-select_streams', 'V:0',
    ...(intervals.length ? ['-read_intervals', intervals.join(',')] : []),
    '-show_entries', 'packet=pts_time,dts_time,flags:format=start_time',
    '-of', 'json',
    '-i', resolve(path),
  ];
}

interface ProbeJson {
  packets?: { pts_time?: string; dts_time?: string; flags?: string }[];
  format?: { start_time?: string };
}

export function parseKeyframeProbe(json: string): Keyframe[] {
  const data = JSON.parse(json) as ProbeJson;
  const start = Number(data.format?.start_time ?? 0);
  const origin = Number.isFinite(start) ? start : 0;
  const seen = new Map<number, Keyframe>();
  for (const p of data.packets ?? []) {
    if (!p.flags?.includes('K')) continue;
    const pts = Number(p.pts_time);
    if (!Number.isFinite(pts)) continue;
    const dts = Number(p.dts_time);
    const t = Math.round((pts - origin) * 1_000_000) / 1_000_000;
    seen.set(t, { t, reorderDelay: Number.isFinite(dts) ? Math.max(0, pts - dts) : 0 });
  }
  return [...seen.values()].sort((a, b) => a.t - b.t);
}

/** The keyframe at `t` (within `tolerance` seconds, e.g. half a frame), or null. */
export function keyframeAt(keyframes: readonly Keyframe[], t: number, tolerance: number): Keyframe | null {
  return keyframes.find((k) => Math.abs(k.t - t) <= tolerance) ?? null;
}

export async function probeKeyframes(ctx: JobContext, ffprobePath: string, path: string, times: readonly number[]): Promise<Keyframe[]> {
  const result = await runTracked(ctx, {
    command: ffprobePath,
    args: keyframeProbeArgs(path, times),
    captureStdout: true,
    signal: ctx.signal,
    killGraceMs: 1000,
    onActivity: () => ctx.heartbeat(),
  });
  if (result.cancelled) throw ctx.signal.reason ?? new Error('cancelled');
  if (!result.ok) throw classifyToolFailure('ffprobe', result.exitCode, result.signal, result.stderrTail);
  try {
    return parseKeyframeProbe(result.stdout);
  } catch (error) {
    throw new JobError(`ffprobe gave an unreadable packet list: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}

/**
 * A segmented encode's work folder and what is read from its files. The folder is inside the
 * library (`.segments/<parent job id>/`, hidden from scans like `.quarantine/`): every node of a
 * fleet mounts the library, not each other's data folders, and the join's output lands on the same
 * file system as the chunks. It holds plan.json, chunk-NNNN.mp4 and audio.<ext>; a file without
 * `.partial` in its name is complete and verified by the job that wrote it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { JobError, type JobContext } from '../processor';
import { runTracked } from '../steps/tracked-result';
import { frameTimesOf, type FrameTimes } from './cut-plan';

export const SEGMENTS_FOLDER = '.segments';

/** The library-relative work folder of a parent job. */
export function workDirOf(parentJobId: string): string {
  return join(SEGMENTS_FOLDER, parentJobId);
}

export const chunkName = (index: number) => `chunk-${String(index).padStart(4, '0')}.mp4`;
/**
 * A partial carries its attempt's token (`<job id token>-a<attempt>`, publish-output.ts attemptToken):
 * a frozen attempt that wakes up after its lease was taken over writes its own file, never the one
 * the current attempt is writing.
 */
export const chunkPartialName = (index: number, token: string) => `chunk-${String(index).padStart(4, '0')}.${token}.partial.mp4`;
export const audioName = (container: 'mp4' | 'mkv') => (container === 'mp4' ? 'audio.m4a' : 'audio.mka');
export const audioPartialName = (container: 'mp4' | 'mkv', token: string) => `audio.${token}.partial.${container === 'mp4' ? 'm4a' : 'mka'}`;

/** Removes a work folder (absolute), whatever is in it. */
export async function removeWorkDir(absolute: string): Promise<void> {
  await rm(absolute, { recursive: true, force: true });
}

/** ffprobe with its stdout, tracked as the attempt's process (killed on cancel, stopped on suspend). */
async function ffprobe(ctx: JobContext, ffprobePath: string, args: readonly string[]): Promise<string> {
  const result = await runTracked(ctx, { command: ffprobePath, args, captureStdout: true, signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(300_000)]), killGraceMs: 1000 });
  if (result.cancelled && ctx.signal.aborted) throw ctx.signal.reason ?? new Error('cancelled');
  if (!result.ok) throw new JobError(`ffprobe failed: ${result.stderrTail.at(-1) ?? `exit code ${result.exitCode}`}`, true);
  return result.stdout;
}

/** The presentation time of every frame of the video stream `streamIndex`, and which are keyframes (one demux pass, no decode). */
export async function probeFrameTimes(ctx: JobContext, ffprobePath: string, path: string, streamIndex: number): Promise<FrameTimes> {
  const out = await ffprobe(ctx, ffprobePath, ['-v', 'error', '-select_streams', String(streamIndex), '-show_entries', 'packet=pts_time,flags:format=start_time', '-of', 'json', '-i', path]);
  return frameTimesOf(JSON.parse(out) as Parameters<typeof frameTimesOf>[0]);
}

/** The video frames (packets) of a chunk file, and its duration; null when ffprobe cannot read it. */
export async function probeChunk(ctx: JobContext, ffprobePath: string, path: string): Promise<{ frames: number; durationSeconds: number } | null> {
  try {
    const out = await ffprobe(ctx, ffprobePath, ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets:format=duration', '-of', 'json', '-i', path]);
    const json = JSON.parse(out) as { streams?: { nb_read_packets?: string }[]; format?: { duration?: string } };
    const frames = Number(json.streams?.[0]?.nb_read_packets);
    return Number.isFinite(frames) ? { frames, durationSeconds: Number(json.format?.duration ?? 0) } : null;
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return null;
  }
}

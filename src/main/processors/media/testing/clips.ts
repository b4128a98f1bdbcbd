/**
 * Tiny test clips made at test time with ffmpeg's lavfi sources (no binary fixtures in git):
 * `testsrc2` video and a `sine` tone, encoded with libx264 ultrafast so a 2-s clip takes ~0.1 s.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const TEST_FFMPEG = process.env.MEDIA_FFMPEG_PATH || 'ffmpeg';
export const TEST_FFPROBE = process.env.MEDIA_FFPROBE_PATH || 'ffprobe';

export interface ClipSpec {
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  readonly seconds?: number;
  readonly audio?: boolean;
  /** Display-matrix rotation written into the MP4 (degrees). */
  readonly rotate?: number;
}

export async function makeClip(dir: string, name: string, spec: ClipSpec = {}): Promise<string> {
  const { width = 320, height = 240, fps = 25, seconds = 2, audio = true } = spec;
  const path = join(dir, name);
  const args = ['-hide_banner', '-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`];
  if (audio) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100');
  args.push('-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (audio) args.push('-c:a', 'aac', '-b:a', '64k');
  const encoded = spec.rotate === undefined ? path : join(dir, `unrotated-${name}`);
  args.push(encoded);
  await run(TEST_FFMPEG, args);
  if (spec.rotate !== undefined) {
    // ffmpeg 5.1 writes the display matrix from the `rotate` tag only on a stream copy.
    await run(TEST_FFMPEG, ['-v', 'error', '-nostdin', '-y', '-i', encoded, '-c', 'copy', '-metadata:s:v:0', `rotate=${spec.rotate}`, path]);
    await rm(encoded);
  }
  return path;
}

export async function makeTempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface ProbedJson {
  readonly streams: ReadonlyArray<{ codec_type?: string; codec_name?: string; width?: number; height?: number; [key: string]: unknown }>;
  readonly format: { format_name?: string; duration?: string; [key: string]: unknown };
}

/** ffprobe's JSON of a file (for checking outputs). */
export async function probeJson(path: string): Promise<ProbedJson> {
  const { stdout } = await run(TEST_FFPROBE, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path]);
  return JSON.parse(stdout) as ProbedJson;
}

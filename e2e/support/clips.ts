/**
 * Clips generated at test time with ffmpeg's lavfi sources into the library's inbox: short ones
 * (a few seconds, so their jobs finish quickly), a long one (120 s, so a re-encode of it is
 * still running when the test cancels it) and a corrupt file (random bytes named .mp4).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClipSpec {
  readonly file: string;
  /** lavfi video source, e.g. `testsrc2=size=640x360:rate=30`. */
  readonly video: string;
  readonly seconds: number;
  readonly toneHz: number | null;
}

export const SHORT_CLIPS: readonly ClipSpec[] = [
  { file: 'sunrise-beach.mp4', video: 'testsrc2=size=640x360:rate=30', seconds: 3, toneHz: 440 },
  { file: 'city-timelapse.mp4', video: 'smptehdbars=size=640x360:rate=30', seconds: 3, toneHz: 660 },
  { file: 'mandelbrot-zoom.mp4', video: 'mandelbrot=size=640x360:rate=25', seconds: 3, toneHz: null },
  { file: 'portrait-interview.mp4', video: 'testsrc2=size=360x640:rate=30', seconds: 3, toneHz: 330 },
  { file: 'mountain-hike.mp4', video: 'testsrc2=size=480x270:rate=30', seconds: 2, toneHz: 550 },
];

/** 120 s of 854x480: a default (medium preset) re-encode takes about half a minute on two cores. */
export const LONG_CLIP: ClipSpec = { file: 'long-drive.mp4', video: 'testsrc2=size=854x480:rate=30', seconds: 120, toneHz: 220 };

export const CORRUPT_FILE = 'corrupt-upload.mp4';

async function generate(dir: string, clip: ClipSpec): Promise<void> {
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', clip.video];
  if (clip.toneHz !== null) args.push('-f', 'lavfi', '-i', `sine=frequency=${clip.toneHz}`);
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (clip.toneHz !== null) args.push('-c:a', 'aac');
  args.push('-t', String(clip.seconds), '-movflags', '+faststart', join(dir, clip.file));
  await run('ffmpeg', args, { timeout: 120_000 });
}

/** Writes the clips into `dir` (created if needed), in parallel; the long one unless told not to. */
export async function generateClips(dir: string, { long = true } = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  await Promise.all([...SHORT_CLIPS, ...(long ? [LONG_CLIP] : [])].map((clip) => generate(dir, clip)));
  await writeFile(join(dir, CORRUPT_FILE), randomBytes(64 * 1024));
}

/**
 * Test clips with KNOWN content, made at test time with lavfi sources (no binary fixtures):
 * pictures of different sources joined at known cut times, sound quiet then loud, keyframes at
 * known times. H.264 (with B-frames unless `ultrafast`) + AAC in MP4.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_FFMPEG } from '../../media/testing/clips';

const run = promisify(execFile);

export type Picture = 'testsrc2' | 'smptebars' | 'mandelbrot' | 'noise' | 'rgbtestsrc';

export interface PictureSegment {
  readonly source: Picture;
  readonly seconds: number;
}

export interface SoundSegment {
  readonly seconds: number;
  /** Linear gain of a 440 Hz tone (1 = full scale); 0 for silence. */
  readonly volume: number;
}

export interface CutClipSpec {
  readonly pictures: readonly PictureSegment[];
  /** Default: one constant tone as long as the picture; [] for no audio. */
  readonly sound?: readonly SoundSegment[];
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  /** x264 preset (default veryfast: B-frames, like real files). */
  readonly preset?: string;
  /** A keyframe exactly every this many seconds (and nowhere else). */
  readonly keyframeEvery?: number;
}

function pictureSource(p: PictureSegment, size: string, fps: number): string {
  switch (p.source) {
    case 'noise':
      return `color=c=gray:s=${size}:r=${fps}:d=${p.seconds},format=yuv420p,noise=alls=60:allf=t+u`;
    case 'mandelbrot':
      return `mandelbrot=s=${size}:r=${fps},trim=duration=${p.seconds}`;
    default:
      return `${p.source}=s=${size}:r=${fps}:d=${p.seconds}`;
  }
}

/** Cut times of a clip: where each picture segment after the first starts. Pure. */
export function cutTimes(pictures: readonly PictureSegment[]): number[] {
  const out: number[] = [];
  let t = 0;
  for (const p of pictures.slice(0, -1)) out.push((t += p.seconds));
  return out;
}

export async function makeCutClip(dir: string, name: string, spec: CutClipSpec): Promise<string> {
  const { width = 320, height = 240, fps = 25 } = spec;
  const size = `${width}x${height}`;
  const total = spec.pictures.reduce((s, p) => s + p.seconds, 0);
  const sound = spec.sound ?? [{ seconds: total, volume: 0.5 }];
  const graph = spec.pictures.map((p, i) => `${pictureSource(p, size, fps)},setsar=1,format=yuv420p,setpts=PTS-STARTPTS[v${i}]`);
  graph.push(`${spec.pictures.map((_, i) => `[v${i}]`).join('')}concat=n=${spec.pictures.length}:v=1:a=0[vout]`);
  sound.forEach((s, i) =>
    graph.push(s.volume > 0 ? `sine=f=440:r=48000:d=${s.seconds},volume=${s.volume}[a${i}]` : `anullsrc=r=48000:cl=mono,atrim=duration=${s.seconds}[a${i}]`),
  );
  if (sound.length) graph.push(`${sound.map((_, i) => `[a${i}]`).join('')}concat=n=${sound.length}:v=0:a=1[aout]`);
  const path = join(dir, name);
  await mkdir(dir, { recursive: true });
  const keyframes = spec.keyframeEvery ? ['-force_key_frames', `expr:gte(t,n_forced*${spec.keyframeEvery})`, '-sc_threshold', '0', '-g', String(Math.round(spec.keyframeEvery * fps * 10))] : [];
  await run(TEST_FFMPEG, [
    '-hide_banner', '-v', 'error', '-nostdin', '-y',
    '-filter_complex', graph.join(';'),
    '-map', '[vout]', ...(sound.length ? ['-map', '[aout]'] : []),
    '-c:v', 'libx264', '-preset', spec.preset ?? 'veryfast', '-pix_fmt', 'yuv420p', ...keyframes,
    ...(sound.length ? ['-c:a', 'aac', '-b:a', '96k'] : []),
    '-t', String(total),
    path,
  ]);
  return path;
}

/** True when ffmpeg decodes the whole file without a single error line. */
export async function playsCleanly(path: string): Promise<boolean> {
  try {
    const { stderr } = await run(TEST_FFMPEG, ['-hide_banner', '-v', 'error', '-nostdin', '-i', path, '-f', 'null', '-']);
    return stderr.trim() === '';
  } catch {
    return false;
  }
}

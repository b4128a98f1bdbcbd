/**
 * Clips and measurements for the segment-mode tests, made with ffmpeg at test time: a small H.264
 * clip with a keyframe every 2 s, B-frames and AAC audio, and the per-frame MD5s of a decoded video
 * stream (a lossless encode decodes to the very frames of its source, so equal lists mean no frame
 * was lost, doubled or moved at a seam).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_FFMPEG, TEST_FFPROBE } from '../../media/testing/clips';

const run = promisify(execFile);

/** `seconds` of testsrc2 (160x90 unless `size`), 25 fps, GOP 50 with B-frames, a 440 Hz tone in AAC; `.mp4` or `.mkv` by the name. */
export async function segmentClip(dir: string, name: string, seconds: number, size = '160x90'): Promise<string> {
  const path = join(dir, name);
  await run(TEST_FFMPEG, [
    '-hide_banner', '-v', 'error', '-nostdin', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '30', '-g', '50', '-keyint_min', '50', '-bf', '2', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '48k', path,
  ], { maxBuffer: 1 << 24 });
  return path;
}

/** The MD5 of every decoded frame of the first video stream, in order. */
export async function frameHashes(path: string): Promise<string[]> {
  const { stdout } = await run(TEST_FFMPEG, ['-hide_banner', '-v', 'error', '-nostdin', '-i', path, '-map', '0:v:0', '-f', 'framemd5', '-'], { maxBuffer: 1 << 26 });
  return stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').at(-1)!.trim());
}

/** Stream layout and duration facts of a file, as ffprobe reports them. */
export async function streamFacts(path: string): Promise<{ layout: string[]; durationSeconds: number; videoStart: number; audioStart: number | null }> {
  const { stdout } = await run(TEST_FFPROBE, ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,start_time:format=duration', '-of', 'json', path]);
  const json = JSON.parse(stdout) as { streams: { codec_type: string; codec_name: string; start_time?: string }[]; format: { duration: string } };
  const audio = json.streams.find((s) => s.codec_type === 'audio');
  return {
    layout: json.streams.map((s) => `${s.codec_type}:${s.codec_name}`),
    durationSeconds: Number(json.format.duration),
    videoStart: Number(json.streams.find((s) => s.codec_type === 'video')?.start_time ?? 0),
    audioStart: audio ? Number(audio.start_time ?? 0) : null,
  };
}

/** The presentation time of every video frame (packet), ascending. */
export async function videoFrameTimes(path: string): Promise<number[]> {
  const { stdout } = await run(TEST_FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', path], { maxBuffer: 1 << 26 });
  return stdout.split('\n').filter((l) => l.trim() !== '').map(Number).filter(Number.isFinite).sort((a, b) => a - b);
}

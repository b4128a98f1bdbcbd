/**
 * The generated fault set of issue #17, made with ffmpeg at test time (no binary fixtures): each
 * clip is tiny (320x180, 2–3 s) and made to provoke one outcome of a transcode.
 */
import { execFile } from 'node:child_process';
import { open, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_FFMPEG } from '../../media/testing/clips';

const run = promisify(execFile);
const SRC = ['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25'];
const TONE = (hz: number) => ['-f', 'lavfi', '-i', `sine=frequency=${hz}:sample_rate=48000`];
const BASE = ['-hide_banner', '-v', 'error', '-nostdin', '-y'];

async function ffmpeg(args: readonly string[]): Promise<void> {
  await run(TEST_FFMPEG, [...BASE, ...args]);
}

/** H.264 at high quality (crf 18) with AAC: HEVC at crf 28 saves well over 10 %. */
export async function replaceableClip(dir: string, name: string, seconds = 3): Promise<string> {
  const path = join(dir, name);
  await ffmpeg([...SRC, ...TONE(440), '-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart', path]);
  return path;
}

/** Already squeezed H.264 (crf 35): above the bits-per-pixel skip line, but HEVC at crf 26 comes out larger. */
export async function unshrinkableClip(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  await ffmpeg([...SRC, ...TONE(440), '-t', '3', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '35', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '32k', path]);
  return path;
}

/** An MP4 (moov first, so it still probes) cut off at 60 %: its header promises frames it no longer has. */
export async function truncatedClip(dir: string, name: string): Promise<string> {
  const path = await replaceableClip(dir, name);
  await truncate(path, Math.floor((await stat(path)).size * 0.6));
  return path;
}

/**
 * An MPEG-TS H.264 stream with garbage written over the middle of its packets: decode errors. With
 * audio, the AAC packets are damaged too, and ffmpeg cannot even remux them (the encode breaks).
 */
export async function damagedClip(dir: string, name: string, options: { audio?: boolean } = {}): Promise<string> {
  const path = join(dir, name);
  const audio = options.audio ? [...TONE(440)] : [];
  await ffmpeg([...SRC, ...audio, '-t', '3', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-g', '250', ...(options.audio ? ['-c:a', 'aac', '-b:a', '64k'] : []), '-f', 'mpegts', path]);
  const size = (await stat(path)).size;
  const handle = await open(path, 'r+');
  try {
    // whole 188-byte TS packets keep their sync bytes; their payloads become noise
    for (let at = Math.floor(size * 0.4 / 188) * 188; at < size * 0.6; at += 188 * 7) {
      const junk = Buffer.alloc(180, 0x5a);
      await handle.write(junk, 0, junk.length, at + 8);
    }
  } finally {
    await handle.close();
  }
  return path;
}

/** Variable frame rate: 30 fps for a second, then every third frame. */
export async function vfrClip(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  await run(TEST_FFMPEG, [...BASE, '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', ...TONE(300), '-t', '3', '-vf', "select='lt(n\\,30)+not(mod(n\\,3))'", '-fps_mode', 'vfr', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-c:a', 'aac', '-shortest', path]);
  return path;
}

/** 10-bit HEVC with HDR10 signalling (BT.2020, PQ) and mastering display / content light metadata. */
export async function hdr10Clip(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  await ffmpeg([
    ...SRC, '-t', '2', '-c:v', 'libx265', '-preset', 'fast', '-crf', '12', '-pix_fmt', 'yuv420p10le',
    '-x265-params', 'log-level=error:hdr10=1:master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1):max-cll=1000,400',
    '-color_primaries', 'bt2020', '-color_trc', 'smpte2084', '-colorspace', 'bt2020nc', path,
  ]);
  return path;
}

/** MKV with two audio tracks (languages) and a SubRip subtitle track. */
export async function multiTrackClip(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  const srt = join(dir, `${name}.srt`);
  await writeFile(srt, '1\n00:00:00,000 --> 00:00:01,000\nHello\n\n2\n00:00:01,500 --> 00:00:02,500\nWorld\n');
  await ffmpeg([
    ...SRC, ...TONE(440), ...TONE(880), '-i', srt, '-t', '3',
    '-map', '0:v', '-map', '1:a', '-map', '2:a', '-map', '3:s',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-c:a', 'aac', '-b:a', '64k', '-c:s', 'srt',
    '-metadata:s:a:0', 'language=eng', '-metadata:s:a:1', 'language=fra', '-metadata:s:s:0', 'language=eng', path,
  ]);
  return path;
}

/** Already HEVC. */
export async function hevcClip(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  await ffmpeg([...SRC, ...TONE(440), '-t', '2', '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-c:a', 'aac', path]);
  return path;
}

export async function bytesOf(path: string): Promise<Buffer> {
  return readFile(path);
}

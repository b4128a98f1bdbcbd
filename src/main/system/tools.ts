/**
 * Finds ffmpeg and ffprobe and reads their versions (asynchronously, argument arrays only), for
 * /api/health now and for the media processors later.
 */
import { execFile } from 'node:child_process';

export interface ToolInfo {
  readonly path: string;
  readonly version: string | null;
}

export function readToolVersion(binary: string, timeoutMs = 5000): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(binary, ['-version'], { timeout: timeoutMs }, (error, stdout) => {
      if (error) return resolve(null);
      const match = /version\s+(\S+)/.exec(stdout);
      resolve(match ? match[1]! : null);
    });
  });
}

export async function discoverTools(env: Readonly<Record<string, string | undefined>> = process.env): Promise<Record<'ffmpeg' | 'ffprobe', ToolInfo>> {
  const ffmpeg = env.MEDIA_FFMPEG_PATH || 'ffmpeg';
  const ffprobe = env.MEDIA_FFPROBE_PATH || 'ffprobe';
  const [ffmpegVersion, ffprobeVersion] = await Promise.all([readToolVersion(ffmpeg), readToolVersion(ffprobe)]);
  return { ffmpeg: { path: ffmpeg, version: ffmpegVersion }, ffprobe: { path: ffprobe, version: ffprobeVersion } };
}

/**
 * Finds ffmpeg and ffprobe, in this order, keeping the first that answers `-version`:
 *   1. configured: MEDIA_FFMPEG_PATH / MEDIA_FFPROBE_PATH;
 *   2. system: the name looked up on PATH;
 *   3. bundled: the static build inside `@ffmpeg-installer/ffmpeg` / `@ffprobe-installer/ffprobe`
 *      (their per-platform packages carry the binary in the tarball; the only install script is a
 *      `chmod u+x`, approved in package.json — nothing is downloaded at install time).
 * A configured path that does not work is not fatal (the next source is tried) but is reported in
 * `skipped`, so the caller can warn about the misconfiguration. Every check runs the binary with
 * an argument array (execFile, no shell) and a timeout. When nothing works, ToolNotFoundError
 * lists every attempt and why it failed.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { childEnvironment } from '../../system/child-environment';

export type MediaToolName = 'ffmpeg' | 'ffprobe';
export type ToolSource = 'configured' | 'system' | 'bundled';

export interface ToolAttempt {
  readonly source: ToolSource;
  readonly path: string;
  readonly reason: string;
}

export interface DiscoveredTool {
  readonly name: MediaToolName;
  /** Absolute when it could be resolved (system tools are resolved on PATH). */
  readonly path: string;
  readonly source: ToolSource;
  readonly version: string;
  /** Earlier sources that were tried and did not work. */
  readonly skipped: readonly ToolAttempt[];
}

export interface ToolDiscoveryOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
  /** Where the bundled binary is; defaults to the installer packages. Return null for none. */
  readonly bundledPath?: (name: MediaToolName) => Promise<string | null>;
}

export class ToolNotFoundError extends Error {
  constructor(
    readonly tool: MediaToolName,
    readonly attempts: readonly ToolAttempt[],
  ) {
    const tried = attempts.map((a) => `${a.source} ${a.path}: ${a.reason}`).join('; ');
    super(`${tool} not found or not working (tried ${tried || 'nothing'}); install ${tool} or set ${envVar(tool)}`);
    this.name = 'ToolNotFoundError';
  }
}

function envVar(name: MediaToolName): string {
  return name === 'ffmpeg' ? 'MEDIA_FFMPEG_PATH' : 'MEDIA_FFPROBE_PATH';
}

/** `ffmpeg version 5.1.6-0+deb12u1 Copyright …` → `5.1.6-0+deb12u1`. Pure. */
export function parseToolVersion(output: string): string | null {
  return /\bversion\s+(\S+)/.exec(output)?.[1] ?? null;
}

/** Runs `<path> -version`; resolves the version or rejects with a one-line reason. */
export function probeToolVersion(path: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path, ['-version'], { timeout: timeoutMs, windowsHide: true, env: childEnvironment() }, (error, stdout) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : error.killed ? `no answer within ${timeoutMs} ms` : error.message.split('\n')[0]!;
        return reject(new Error(reason));
      }
      const version = parseToolVersion(stdout);
      if (version === null) return reject(new Error('does not print a version: not ffmpeg/ffprobe?'));
      resolve(version);
    });
  });
}

/** First executable `name` on PATH, or null. */
export async function findOnPath(name: string, pathVariable: string | undefined): Promise<string | null> {
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, process.platform === 'win32' ? `${name}.exe` : name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The binary inside the installer package, or null when it is not installed for this platform. */
export async function installerBinaryPath(name: MediaToolName): Promise<string | null> {
  try {
    const mod = (await (name === 'ffmpeg' ? import('@ffmpeg-installer/ffmpeg') : import('@ffprobe-installer/ffprobe'))) as {
      default?: { path?: string };
      path?: string;
    };
    const path = mod.default?.path ?? mod.path ?? null;
    // Inside a packaged Electron app the binary must come from the unpacked copy to be executable.
    return path ? path.replace(/\bapp\.asar([\\/])/, 'app.asar.unpacked$1') : null;
  } catch {
    return null;
  }
}

export async function discoverTool(name: MediaToolName, options: ToolDiscoveryOptions = {}): Promise<DiscoveredTool> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 5000;
  const attempts: ToolAttempt[] = [];
  const candidates: Array<() => Promise<{ source: ToolSource; path: string } | null>> = [
    async () => {
      const configured = env[envVar(name)]?.trim();
      return configured ? { source: 'configured', path: configured } : null;
    },
    async () => {
      const path = await findOnPath(name, env.PATH);
      if (path) return { source: 'system', path };
      attempts.push({ source: 'system', path: name, reason: 'not found on PATH' });
      return null;
    },
    async () => {
      const path = await (options.bundledPath ?? installerBinaryPath)(name);
      if (path) return { source: 'bundled', path };
      attempts.push({ source: 'bundled', path: '-', reason: 'no bundled build for this platform' });
      return null;
    },
  ];
  for (const next of candidates) {
    const candidate = await next();
    if (!candidate) continue;
    if (candidate.source === 'configured' && !isAbsolute(candidate.path) && !candidate.path.includes('/')) {
      // A bare name in the variable means "this name on PATH".
      candidate.path = (await findOnPath(candidate.path, env.PATH)) ?? candidate.path;
    }
    try {
      const version = await probeToolVersion(candidate.path, timeoutMs);
      return { name, path: candidate.path, source: candidate.source, version, skipped: attempts };
    } catch (error) {
      attempts.push({ source: candidate.source, path: candidate.path, reason: (error as Error).message });
    }
  }
  throw new ToolNotFoundError(name, attempts);
}

export interface MediaTools {
  readonly ffmpeg: DiscoveredTool;
  readonly ffprobe: DiscoveredTool;
}

/** Both tools; rejects with ToolNotFoundError for the first one missing. */
export async function discoverMediaTools(options: ToolDiscoveryOptions = {}): Promise<MediaTools> {
  const [ffmpeg, ffprobe] = await Promise.all([discoverTool('ffmpeg', options), discoverTool('ffprobe', options)]);
  return { ffmpeg, ffprobe };
}

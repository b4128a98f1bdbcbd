/**
 * Runs ffprobe on one file and returns MediaInfo (see ffprobe-parse.ts for the pure part).
 * The file is checked first so "missing" and "unreadable" are told apart from "corrupt" without
 * parsing ffprobe's wording; ffprobe runs through the process runner (argument array, stdout kept
 * apart from the console, cancellable) with a timeout, because a probe of a file on a stalled
 * network share can hang.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MediaProbeError, classifyProbeFailure, parseProbeOutput, type MediaInfo } from './ffprobe-parse';
import { runProcess } from './process-runner';

export { MediaProbeError, type MediaInfo, type Orientation, type ProbeFailureReason } from './ffprobe-parse';

export interface ProbeOptions {
  /** Path of ffprobe (from tool discovery). */
  readonly ffprobePath: string;
  readonly signal?: AbortSignal;
  /** Default 30 s. */
  readonly timeoutMs?: number;
  readonly onPid?: (pid: number) => void;
}

/** The argument array, exported for tests and logs. Pure. */
export function ffprobeArgs(path: string): string[] {
  // Absolute, so a name starting with '-' or holding 'proto:' is still read as a local file.
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-i', resolve(path)];
}

async function checkReadable(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new MediaProbeError('missing', path, 'file not found');
    throw new MediaProbeError('unreadable', path, `cannot read (${code ?? 'error'})`);
  }
  if (!info.isFile()) throw new MediaProbeError('unreadable', path, 'not a regular file');
  try {
    await access(path, constants.R_OK);
  } catch {
    throw new MediaProbeError('unreadable', path, 'permission denied');
  }
  if (info.size === 0) throw new MediaProbeError('corrupt', path, 'empty file');
}

export async function probeMedia(path: string, options: ProbeOptions): Promise<MediaInfo> {
  await checkReadable(path);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const result = await runProcess({
    command: options.ffprobePath,
    args: ffprobeArgs(path),
    captureStdout: true,
    signal,
    killGraceMs: 1000,
    onPid: options.onPid,
  });
  if (result.cancelled) {
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('probe cancelled');
    throw new MediaProbeError('timeout', path, `ffprobe gave no answer within ${timeoutMs} ms`);
  }
  if (!result.ok) throw classifyProbeFailure(path, result.stderrTail.join('\n'));
  return parseProbeOutput(path, result.stdout);
}

/**
 * A full decode's verdict (validate with `decode: true`) is about the file as it was: its size and
 * mtime are recorded with it. A header-only probe (a plain validate, a scan that probes every
 * file again) would pass a truncated or damaged file, so it keeps the verdict while the file is
 * the same, and probes afresh once it has changed. A file the library watcher saw change has its
 * row's probe cleared (probedAt null) and is probed afresh too.
 */
import { stat } from 'node:fs/promises';
import type { VideoRecord } from '../../core/library-ports';

/** How a full decode's verdict begins (the reason stored with the video). */
export const DECODE_VERDICT = 'the full decode printed';

export interface FileSignature {
  readonly sizeBytes: number;
  readonly mtimeMs: number;
}

/** The file's size and mtime now (mtime rounded to the millisecond, as everywhere in the library); null when it cannot be read. */
export async function fileSignature(path: string): Promise<FileSignature | null> {
  try {
    const info = await stat(path);
    return { sizeBytes: info.size, mtimeMs: Math.round(info.mtimeMs) };
  } catch {
    return null;
  }
}

export const sameFile = (a: FileSignature, b: FileSignature): boolean => a.sizeBytes === b.sizeBytes && a.mtimeMs === b.mtimeMs;

/** Whether the row holds a full decode's invalid verdict, still standing (the watcher has not cleared its probe): only then is the file looked at. */
export function hasDecodeVerdict(video: VideoRecord): boolean {
  return video.valid === false && video.probedAt !== null && video.sizeBytes !== null && video.mtimeMs !== null && (video.validationError?.startsWith(DECODE_VERDICT) ?? false);
}

/** Whether the video's invalid verdict came from a full decode of the very file that is there now. */
export function keepsDecodeVerdict(video: VideoRecord, file: FileSignature | null): boolean {
  return file !== null && hasDecodeVerdict(video) && sameFile({ sizeBytes: video.sizeBytes!, mtimeMs: video.mtimeMs! }, file);
}

/** Why a header-only probe left the verdict as it was. */
export const keptVerdictText = (video: VideoRecord): string =>
  `${video.validationError} (found by a full decode; the file has not changed since, and a probe reads only its headers: validate with decode: true checks it again)`;

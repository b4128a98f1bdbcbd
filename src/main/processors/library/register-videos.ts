/**
 * How a found video file becomes a library video: added by path (a known path is left as it is,
 * only un-marked missing), then probed with ffprobe in parallel and the result recorded, valid or
 * not. The `scan` job and the library watcher both register files through here, so a file dropped
 * into a watched folder ends up exactly as a scan would have left it.
 */
import { randomUUID } from 'node:crypto';
import type { VideoDirectory } from '../../../shared/domain/library';
import type { VideoMetadata, VideoRecord, VideoStore } from '../../core/library-ports';
import type { LibraryPaths } from '../../library/library-paths';
import { forEachBounded } from './bounded-parallel';
import { fileSignature, hasDecodeVerdict, keepsDecodeVerdict, keptVerdictText } from './decode-verdict';
import { probeFailureText } from './probe-video';
import type { FoundFile } from './walk-videos';

export type MediaProber = (absolutePath: string, signal: AbortSignal) => Promise<VideoMetadata>;

export interface ProbeDeps {
  readonly videos: VideoStore;
  readonly library: LibraryPaths;
  readonly probe: MediaProber;
  /** How many files are probed at once. */
  readonly parallelism: number;
}

/** Adds the files not known yet; returns the added ones. */
export function addFoundFiles(videos: VideoStore, directoryType: VideoDirectory, files: readonly FoundFile[], at: number): Promise<VideoRecord[]> {
  return videos.addVideos(files.map((f) => ({ id: randomUUID(), path: f.relativePath, directoryType, sizeBytes: f.sizeBytes, mtimeMs: f.mtimeMs, at })));
}

/** The videos of these files to probe: the added ones, those never probed, and (unless `skipExisting`) all. */
export async function videosToProbe(videos: VideoStore, files: readonly FoundFile[], added: readonly VideoRecord[], skipExisting: boolean): Promise<VideoRecord[]> {
  const addedIds = new Set(added.map((v) => v.id));
  const toProbe: VideoRecord[] = [];
  for (const f of files) {
    const video = await videos.getVideoByPath(f.relativePath);
    if (video && (!skipExisting || addedIds.has(video.id) || video.probedAt === null)) toProbe.push(video);
  }
  return toProbe;
}

export type ProbeOutcome = { readonly ok: true; readonly video: VideoRecord } | { readonly ok: false; readonly video: VideoRecord; readonly reason: string };

/** Probes the videos (at most `parallelism` at once) and records each result; `onDone` hears each, in the order they end. */
export async function probeAndRecord(deps: ProbeDeps, toProbe: readonly VideoRecord[], signal: AbortSignal, onDone: (outcome: ProbeOutcome) => void | Promise<void>): Promise<void> {
  await forEachBounded(toProbe, deps.parallelism, signal, async (video) => {
    let outcome: ProbeOutcome;
    const path = deps.library.resolve(video.path);
    // a damaged file found so by a full decode passes a header-only probe: its verdict stays while it is the same file
    if (hasDecodeVerdict(video) && keepsDecodeVerdict(video, await fileSignature(path))) {
      await onDone({ ok: false, video, reason: keptVerdictText(video) });
      return;
    }
    try {
      const metadata = await deps.probe(path, signal);
      outcome = { ok: true, video: await deps.videos.recordProbe(video.id, { ok: true, metadata }, Date.now()) };
    } catch (error) {
      if (signal.aborted) throw error;
      const reason = probeFailureText(error);
      outcome = { ok: false, video: await deps.videos.recordProbe(video.id, { ok: false, error: reason }, Date.now()), reason };
    }
    await onDone(outcome);
  });
}

/**
 * Restoring a quarantined original (POST /videos/:id/restore), journaled like the replace it undoes:
 *   journaled  a journal row with the identities of the original (at Q) and of the file it replaces
 *              (the transcode's output, at C), and the commit's records as its payload;
 *   moved      rename(Q → P), atomic, when the name did not change (C = P); otherwise link(Q → P),
 *              then unlink C and Q;
 *   committed  one transaction: the video row (same id) back to the original's size, codec and
 *              name, history, a `restored` ledger row (undoing the saving), the quarantine entry
 *              marked restored, the journal row deleted.
 * Recovery rolls a restore FORWARD once the original is under P (finishing the unlinks and the
 * commit from the payload) and back otherwise (nothing had moved): the name never holds neither.
 */
import { lstat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../../shared/contracts/errors';
import type { LedgerEntry, QuarantineEntry, RestoreCommit, SwapJournal, TranscodeStore } from '../../core/transcode-ports';
import type { VideoRecord, VideoStore } from '../../core/library-ports';
import type { LibraryPaths } from '../../library/library-paths';
import { fingerprintFile } from '../../library/content-fingerprint';
import { QUARANTINE_DIR, rollBackReplace } from './swap';
import { durableLink, durableRename, identityOf, pruneEmptyFolders, syncDir, unlinkIfSame } from './swap-files';

/** Test seam: called once the original is back under its name, before the commit (a test may stall it there, as a crash would). */
export const restoreSeams = { moved: async (): Promise<void> => {} };

export interface RestoreDeps {
  readonly store: TranscodeStore;
  readonly videos: VideoStore;
  readonly library: LibraryPaths;
  readonly nodeId: string;
  readonly now: () => number;
}

const folderOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.');

export async function restoreOriginal(d: RestoreDeps, videoId: string): Promise<VideoRecord> {
  const video = await d.videos.getVideo(videoId);
  if (!video) throw new AppError('NOT_FOUND', `No video with id ${videoId}.`, { videoId });
  const q = await d.store.activeQuarantine(videoId, d.now());
  if (!q) throw new AppError('NOT_FOUND', `Video ${videoId} has no original in quarantine (never replaced, already restored, or kept longer than MEDIA_QUARANTINE_DAYS).`, { videoId });
  const Q = d.library.resolve(q.quarantinePath);
  const P = d.library.resolve(q.originalPath);
  const C = d.library.resolve(video.path);
  if ((await identityOf(Q)) !== q.identity) throw new AppError('NOT_FOUND', `The quarantined original ${q.quarantinePath} is gone or was changed.`, { videoId, path: q.quarantinePath });
  if (video.path !== q.originalPath && (await identityOf(P)) !== null) {
    throw new AppError('INVALID_TRANSITION', `${q.originalPath} is taken by another file: the original cannot be put back under its name.`, { videoId, path: q.originalPath });
  }
  const current = await identityOf(C);
  const at = d.now();
  const original = await lstat(Q);
  const fingerprint = await fingerprintFile(Q);
  const ledger: LedgerEntry = {
    at, jobId: null, jobType: 'restore', videoId, folder: folderOf(q.originalPath), nodeId: d.nodeId, gpu: null, encoder: null, mode: 'replace',
    codecIn: video.videoCodec, codecOut: q.videoCodec, bytesIn: video.sizeBytes ?? 0, bytesOut: original.size, wallMs: 0, outcome: 'restored',
    reason: `original restored from ${q.quarantinePath}`, checks: [],
  };
  const commit: RestoreCommit = {
    quarantineId: q.id,
    video: { videoId, path: q.originalPath, sizeBytes: original.size, mtimeMs: Math.round(original.mtimeMs), at, metadata: { ...(q.metadata ?? metadataFromRow(video, q)), sizeBytes: original.size } },
    history: {
      videoId, action: 'restored', jobId: q.jobId, at, previousPath: video.path, previousCodec: video.videoCodec, previousSizeBytes: video.sizeBytes,
      newPath: q.originalPath, newCodec: q.videoCodec, newSizeBytes: original.size,
    },
    ledger,
    fingerprint: { videoId, sizeBytes: fingerprint.sizeBytes, mtimeMs: fingerprint.mtimeMs, fingerprint: fingerprint.fingerprint },
  };
  const journal: SwapJournal = {
    videoId, kind: 'restore', jobId: null, attempt: null, nodeId: d.nodeId, originalPath: q.originalPath, finalPath: video.path, quarantinePath: q.quarantinePath,
    incomingPath: video.path, originalIdentity: q.identity, incomingIdentity: current ?? 'none', payload: JSON.stringify(commit), createdAt: at,
  };
  if (!(await d.store.beginRestore(journal))) throw new AppError('INVALID_TRANSITION', `A replace or restore of this video is in progress; try again when it has ended.`, { videoId });
  try {
    if (video.path === q.originalPath) {
      await durableRename(Q, P);
      await pruneEmptyFolders(Q, d.library.resolve(QUARANTINE_DIR));
    } else {
      if (!(await durableLink(Q, P))) {
        await d.store.endSwap(journal);
        throw new AppError('INVALID_TRANSITION', `${q.originalPath} was taken meanwhile: the original cannot be put back under its name.`, { videoId });
      }
      if (current) await unlinkIfSame(C, current);
      await unlink(Q);
      await syncDir(dirname(Q));
      await pruneEmptyFolders(Q, d.library.resolve(QUARANTINE_DIR));
    }
  } catch (error) {
    // whatever moved is finished or undone by recovery, from the journal row
    await recoverSwap(d.library, d.store, journal).catch(() => undefined);
    throw error;
  }
  await restoreSeams.moved();
  return d.store.commitRestore(commit);
}

/** When the quarantine entry carries no metadata (an original never probed): the row's, with the original's codec. */
function metadataFromRow(v: VideoRecord, q: QuarantineEntry): RestoreCommit['video']['metadata'] {
  return {
    durationSeconds: v.durationSeconds ?? 0, width: v.width ?? 0, height: v.height ?? 0, fps: v.fps, videoCodec: q.videoCodec ?? 'unknown', audioCodec: v.audioCodec,
    bitrate: null, orientation: v.orientation ?? 'landscape', hasAudio: v.hasAudio ?? false, sizeBytes: q.sizeBytes,
  };
}

/** Finishes or undoes one journaled swap (see the protocols above and in swap.ts); returns what it did. */
export async function recoverSwap(library: LibraryPaths, store: TranscodeStore, j: SwapJournal): Promise<string> {
  if (j.kind === 'replace') return `replace of ${j.originalPath} rolled back: ${await rollBackReplace(library, store, j)}`;
  const P = library.resolve(j.originalPath);
  if ((await identityOf(P)) !== j.originalIdentity) {
    await store.endSwap(j);
    return `restore of ${j.originalPath} had not started: nothing to undo`;
  }
  if (j.quarantinePath !== j.originalPath) await unlinkIfSame(library.resolve(j.quarantinePath), j.originalIdentity);
  if (j.finalPath !== j.originalPath) await unlinkIfSame(library.resolve(j.finalPath), j.incomingIdentity);
  await store.commitRestore(JSON.parse(j.payload) as RestoreCommit);
  return `restore of ${j.originalPath} completed`;
}

/**
 * The safe swap of a replace: the verified output takes the original's name, the original goes to
 * `.quarantine/`, and a kill -9 at any point leaves the original or the verified output under the
 * name, never neither and never a partial.
 *
 * Protocol (O: the original at P; V: the verified output, still under its partial name; Q: the
 * quarantine name `.quarantine/<job8>-a<attempt>/<P>`; F: the final name, P itself unless the
 * container changes the extension):
 *   verified     V gets O's mode and times and is fsynced;
 *   journaled    a journal row (paths and the `dev:ino` identities of O and V) is written, fenced: only
 *                while the attempt owns its job. Nothing on disk has changed yet;
 *   quarantined  link(P → Q): O now has two names;
 *   renamed      rename(V → P), atomic: P is O or V at every instant (O keeps its name Q). With a new
 *                extension: link(V → F), unlink V, then unlink P (O keeps Q);
 *   committed    ONE fenced transaction: the video row (same id, new size, codec, path), history,
 *                quarantine entry, ledger row, marks, partial record forgotten, journal row deleted.
 * Until the commit, the journal row says a swap may be half done; recovery (rollBackReplace) puts O
 * back under P from what the identities say, wherever the kill came: P is O already (drop Q), or P
 * is V or nothing (rename Q → P), then removes V's names. After the commit there is no journal row
 * and the files agree with the database. A commit that failed without saying whether it committed
 * (a lost connection) leaves the journal to recovery, which then knows.
 *
 * Every name is resolved inside the library; a file is only removed when it is still the one the
 * journal names (same identity), so nothing else is ever deleted.
 */
import { chmod, lstat, unlink, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { VideoRecord } from '../../core/library-ports';
import type { QuarantineEntry, ReplaceCommit, SwapJournal, TranscodeStore } from '../../core/transcode-ports';
import type { LibraryPaths } from '../../library/library-paths';
import { JobError, type JobContext } from '../processor';
import { outputFailure } from '../steps/output-failure';
import { attemptToken, OutputFencedError } from '../steps/publish-output';
import { durableLink, durableRename, identityOf, pruneEmptyFolders, swapSeams, syncDir, syncFile, unlinkIfSame } from './swap-files';

export const QUARANTINE_DIR = '.quarantine';
const SWAP_TURN_WAIT_MS = 30_000;

export interface ReplaceRequest {
  readonly ctx: JobContext;
  readonly library: LibraryPaths;
  readonly store: TranscodeStore;
  readonly video: VideoRecord;
  /** The original as it was fingerprinted before the encode: it must not have changed since. */
  readonly expected: { readonly sizeBytes: number; readonly mtimeMs: number };
  readonly finalPath: string;
  readonly partialPath: string;
  readonly nodeId: string;
  readonly quarantineDays: number;
  readonly now: () => number;
  /**
   * How long to wait for another replace or restore of the same video (twins forced to run together
   * finish their encodes at the same time) before giving up for a later retry; 30 s unless a test says.
   */
  readonly turnWaitMs?: number;
  /** The commit's records, once the new file's name, size and mtime and the quarantine entry are known. */
  readonly commit: (file: { path: string; sizeBytes: number; mtimeMs: number; quarantine: QuarantineEntry }) => Omit<ReplaceCommit, 'partialPath' | 'quarantine'>;
}

export type ReplaceResult = { readonly kind: 'replaced'; readonly video: VideoRecord; readonly quarantinePath: string } | { readonly kind: 'kept'; readonly reason: string };

const kept = (reason: string): ReplaceResult => ({ kind: 'kept', reason });

export async function replaceOriginal(r: ReplaceRequest): Promise<ReplaceResult> {
  const { ctx, library } = r;
  const fence = ctx.files.fence;
  const originalRel = r.video.path;
  const P = library.resolve(originalRel);
  const V = library.resolve(r.partialPath);
  const F = library.resolve(r.finalPath);
  const info = await lstat(P);
  // read with the checks below, not after the output's fsync (seconds on a large file): a twin's swap
  // in that time must not pass for the original (and one that happens between these two reads is
  // caught once the swap is ours, by originalChanged)
  const originalIdentity = await identityOf(P);
  if (originalIdentity === null) return kept(`${originalRel} changed while it was being transcoded (it is gone)`);
  if (!info.isFile()) return kept(`${originalRel} is not a regular file (a symbolic link?): not replaced`);
  if (info.size !== r.expected.sizeBytes || Math.round(info.mtimeMs) !== r.expected.mtimeMs) return kept(`${originalRel} changed while it was being transcoded`);
  if (r.finalPath !== originalRel && (await identityOf(F)) !== null) return kept(`${r.finalPath} exists already: the ${r.finalPath.split('.').pop()} output cannot take that name`);
  // the new file takes the original's permissions and dates, and is on disk before any name depends on it
  await chmod(V, info.mode & 0o7777);
  await utimes(V, info.atime, info.mtime);
  await syncFile(V);
  const quarantineRel = `${QUARANTINE_DIR}/${attemptToken(ctx.job)}/${originalRel}`;
  const Q = library.resolve(quarantineRel);
  const journal: SwapJournal = {
    videoId: r.video.id, kind: 'replace', jobId: fence.jobId, attempt: fence.attempt, nodeId: r.nodeId,
    originalPath: originalRel, finalPath: r.finalPath, quarantinePath: quarantineRel, incomingPath: r.partialPath,
    originalIdentity, incomingIdentity: (await identityOf(V))!, payload: '{}', createdAt: r.now(),
  };
  const seam = (step: Parameters<typeof swapSeams.reached>[0]) => swapSeams.reached(step, { videoPath: P, outputPath: V });
  await seam('verified');

  const waited = await takeSwap(r, journal);
  // judged only now that the swap is ours: another one that was in flight has committed or rolled back
  if (await originalChanged(r, originalIdentity)) {
    await r.store.endSwap(journal); // nothing on disk has moved yet
    return kept(`${originalRel} changed while it was being transcoded${waited ? ' (another replace or restore of it ended first)' : ''}`);
  }
  await seam('journaled');

  const undo = async (error: unknown, what: string): Promise<never> => {
    await rollBackReplace(library, r.store, journal);
    throw outputFailure(error, what);
  };
  let linked: boolean;
  try {
    linked = await durableLink(P, Q);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EXDEV') {
      await rollBackReplace(library, r.store, journal);
      return kept(`${QUARANTINE_DIR}/ is on another file system than ${dirname(originalRel)}: the original could not be kept aside, so it was not replaced`);
    }
    return undo(error, quarantineRel);
  }
  if (!linked) return undo(new JobError(`${quarantineRel} exists already`, true), quarantineRel);
  ctx.log(`Original kept aside as ${quarantineRel} (hard link)`);
  await seam('quarantined');

  // the last check before the name changes (the commit is fenced again)
  if (!(await ctx.files.ownsJob())) return undo(new OutputFencedError(r.partialPath), r.partialPath);
  try {
    if (r.finalPath === originalRel) {
      await durableRename(V, P);
    } else {
      if (!(await durableLink(V, F))) {
        await rollBackReplace(library, r.store, journal);
        return kept(`${r.finalPath} appeared while the original was being replaced`);
      }
      await unlink(V);
      await unlink(P);
      await syncDir(dirname(P));
    }
  } catch (error) {
    return undo(error, originalRel);
  }
  await seam('renamed');

  const now = r.now();
  const after = await lstat(F);
  const quarantine: QuarantineEntry = {
    id: `${fence.jobId}-a${fence.attempt}`, videoId: r.video.id, jobId: fence.jobId, originalPath: originalRel, quarantinePath: quarantineRel, replacedPath: r.finalPath,
    sizeBytes: info.size, videoCodec: r.video.videoCodec, metadata: metadataOf(r.video), identity: journal.originalIdentity, quarantinedAt: now,
    expiresAt: now + r.quarantineDays * 86_400_000,
  };
  // an error here may or may not have committed: the journal row (gone or not) tells recovery which
  const video = await r.store.commitReplace(
    { ...r.commit({ path: r.finalPath, sizeBytes: after.size, mtimeMs: Math.round(after.mtimeMs), quarantine }), quarantine, partialPath: r.partialPath },
    fence,
  );
  if (!video) return undo(new OutputFencedError(r.partialPath), r.partialPath);
  await seam('committed');
  return { kind: 'replaced', video, quarantinePath: quarantineRel };
}

/**
 * Begins the swap (writes its journal row), waiting while another replace or restore of the same
 * video holds it: a swap takes milliseconds, and giving up at once would re-run a whole encode two
 * minutes later. Returns whether it waited. A holder that never ends (a node that died mid-swap,
 * until recovery rolls it back) makes this attempt retry later; a cancel ends the wait at once.
 */
async function takeSwap(r: ReplaceRequest, journal: SwapJournal): Promise<boolean> {
  const { ctx } = r;
  const fence = ctx.files.fence;
  const deadline = performance.now() + (r.turnWaitMs ?? SWAP_TURN_WAIT_MS);
  let pause = 100;
  for (let waited = false; ; waited = true) {
    if (await r.store.beginReplace(journal, fence)) return waited;
    if (!(await ctx.files.ownsJob())) throw new OutputFencedError(r.partialPath);
    if (performance.now() >= deadline) throw new JobError(`Another replace or restore of ${r.video.path} is in progress; this one is tried again later`, true);
    if (!waited) ctx.log(`Another replace or restore of ${r.video.path} is in progress; waiting for it to end`);
    ctx.heartbeat();
    await delay(Math.min(pause, Math.max(0, deadline - performance.now())), undefined, { signal: ctx.signal });
    pause = Math.min(pause * 2, 1_000);
  }
}

/** Whether the original's name now holds another file (its identity) or it was written in place (size, mtime). */
async function originalChanged(r: ReplaceRequest, identity: string): Promise<boolean> {
  const path = r.library.resolve(r.video.path);
  if ((await identityOf(path)) !== identity) return true;
  const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null; // gone since: changed
    throw error;
  });
  return info === null || info.size !== r.expected.sizeBytes || Math.round(info.mtimeMs) !== r.expected.mtimeMs;
}

/** The original's metadata from its row (kept with its quarantine entry, for a restore). */
function metadataOf(v: VideoRecord): QuarantineEntry['metadata'] {
  if (v.durationSeconds === null || v.width === null || v.height === null || v.videoCodec === null || v.orientation === null || v.hasAudio === null) return null;
  return {
    durationSeconds: v.durationSeconds, width: v.width, height: v.height, fps: v.fps, videoCodec: v.videoCodec, audioCodec: v.audioCodec, bitrate: v.bitrate,
    orientation: v.orientation, hasAudio: v.hasAudio, sizeBytes: v.sizeBytes ?? 0,
  };
}

/**
 * Puts the original of an uncommitted replace back under its name, whatever step the swap reached,
 * then removes the output's names and the journal row; returns what it did, or throws (the journal
 * row then stays for the next recovery).
 */
export async function rollBackReplace(library: LibraryPaths, store: TranscodeStore, j: SwapJournal): Promise<string> {
  const P = library.resolve(j.originalPath);
  const Q = library.resolve(j.quarantinePath);
  const atP = await identityOf(P);
  let what: string;
  if (atP === j.originalIdentity) {
    what = (await unlinkIfSame(Q, j.originalIdentity)) ? 'the original was still in place; its quarantine link removed' : 'the original was still in place';
    await pruneEmptyFolders(Q, library.resolve(QUARANTINE_DIR));
  } else if ((await identityOf(Q)) === j.originalIdentity) {
    if (atP !== null && atP !== j.incomingIdentity) {
      // a file nobody journaled took the name: never overwritten; the original stays in quarantine
      throw new Error(`${j.originalPath} holds a file this swap did not make; the original stays at ${j.quarantinePath}`);
    }
    await durableRename(Q, P);
    await pruneEmptyFolders(Q, library.resolve(QUARANTINE_DIR));
    what = 'the original was moved back from quarantine';
  } else if ((await identityOf(Q)) === null && atP !== j.incomingIdentity && (j.finalPath === j.originalPath || (await identityOf(library.resolve(j.finalPath))) !== j.incomingIdentity)) {
    // no step on disk was taken (the quarantine link comes first): the original had changed or gone
    // before this swap moved anything (a replace that found it so, and was stopped before freeing its row)
    what = 'nothing had been moved (the original had changed under it)';
  } else {
    throw new Error(`the original of ${j.originalPath} is under neither ${j.originalPath} nor ${j.quarantinePath}`);
  }
  if (j.finalPath !== j.originalPath) await unlinkIfSame(library.resolve(j.finalPath), j.incomingIdentity);
  await unlinkIfSame(library.resolve(j.incomingPath), j.incomingIdentity);
  await store.endSwap(j);
  return what;
}

/**
 * File operations of the swaps (replace and restore): identities (`dev:ino`, read without following
 * links), durable renames and links (the folder is fsynced after, so a power loss cannot undo a
 * rename the journal already relies on), and the test seam the kill tests stop at.
 */
import { link, lstat, mkdir, open, rename, rmdir, unlink } from 'node:fs/promises';
import { dirname, sep } from 'node:path';

/** `dev:ino` of the file at `path` (the link itself, never its target), or null when there is none. */
export async function identityOf(path: string): Promise<string | null> {
  try {
    const s = await lstat(path, { bigint: true });
    return s.isFile() ? `${s.dev}:${s.ino}` : `not-a-file:${s.dev}:${s.ino}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Makes a directory entry change durable (rename, link, unlink). */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // some file systems (network shares) refuse to fsync a folder: nothing more can be done there
  } finally {
    await handle.close();
  }
}

/** Flushes a file's data and metadata (the verified output before its name depends on it). */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r'); // fsync needs no write access (the output may be read-only by now)
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function durableRename(from: string, to: string): Promise<void> {
  await rename(from, to);
  await syncDir(dirname(to));
  if (dirname(from) !== dirname(to)) await syncDir(dirname(from));
}

/** A second name for `from` at `to` (creating its folder); false when `to` exists already. */
export async function durableLink(from: string, to: string): Promise<boolean> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await link(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  await syncDir(dirname(to));
  return true;
}

/** Removes `path` only when it is still the file of `identity`; true when removed. */
export async function unlinkIfSame(path: string, identity: string): Promise<boolean> {
  if ((await identityOf(path)) !== identity) return false;
  await unlink(path);
  await syncDir(dirname(path));
  return true;
}

/** Removes the folders of `path` that are empty now, up to (not including) `root`. */
export async function pruneEmptyFolders(path: string, root: string): Promise<void> {
  for (let dir = dirname(path); dir.startsWith(root + sep); dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or gone): the folders above are not empty either
    }
  }
}

/** The steps of a replace, in order (the kill tests stop the node at each). */
export type SwapStep = 'verified' | 'journaled' | 'quarantined' | 'renamed' | 'committed';

/**
 * Test seam: called as each step of a replace is reached (the kill tests block here, print their
 * marker, and are killed with SIGKILL). A no-op in production.
 */
export const swapSeams = {
  reached: async (_step: SwapStep, _info: { readonly videoPath: string; readonly outputPath: string }): Promise<void> => {},
};

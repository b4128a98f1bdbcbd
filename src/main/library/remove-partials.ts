/**
 * Removes the recorded files of attempts that will not go on (crash recovery, lease rescue; see
 * processors/steps/publish-output.ts for what is recorded when). Each is a library-relative path
 * resolved inside the root: nothing outside the library, never the root, a folder or a symbolic
 * link, only a regular file at that path.
 *
 * A partial still linked to a final name (its attempt died between the link and the record) takes
 * that name with it: in its folder, the final name or a numbered variant (`name (n).ext`) that is
 * the very same file (same device and inode) — so it was made by that attempt's link, never by
 * another job.
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AttemptPartial } from '../core/ports';
import type { LibraryPaths } from './library-paths';

/** `name.<token>.partial.ext` → `{ stem: 'name', ext: '.ext' }`; null for any other name. Pure. */
export function finalNameOf(partialName: string): { stem: string; ext: string } | null {
  const m = /^(.+)\.[^./]+\.partial(\.[^./]+)$/.exec(partialName);
  return m ? { stem: m[1]!, ext: m[2]! } : null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function removeLinkedFinal(absolute: string, dev: number, ino: number): Promise<string[]> {
  const name = finalNameOf(basename(absolute));
  if (!name) return [];
  const same = new RegExp(`^${escapeRegExp(name.stem)}( \\(\\d+\\))?${escapeRegExp(name.ext)}$`);
  const dir = dirname(absolute);
  const removed: string[] = [];
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    if (!same.test(entry)) continue;
    const path = join(dir, entry);
    const info = await lstat(path).catch(() => null);
    if (info?.isFile() && info.dev === dev && info.ino === ino) {
      await rm(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}

/** Removes the files; returns the library-relative paths of those that existed and were removed. */
export async function removeAttemptFiles(library: LibraryPaths, partials: readonly AttemptPartial[]): Promise<string[]> {
  const removed: string[] = [];
  for (const partial of partials) {
    let absolute: string;
    try {
      absolute = library.resolve(partial.path);
    } catch {
      continue; // outside the library: never touched
    }
    if (absolute === library.root) continue;
    const info = await lstat(absolute).catch(() => null);
    if (!info?.isFile()) continue;
    if (info.nlink > 1) for (const path of await removeLinkedFinal(absolute, info.dev, info.ino)) if (path !== absolute) removed.push(library.toRelative(path));
    await rm(absolute, { force: true });
    removed.push(partial.path);
  }
  return removed;
}

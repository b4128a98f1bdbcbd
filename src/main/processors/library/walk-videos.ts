/**
 * Recursive walk of a library folder for video files. Symbolic links are followed only while they
 * stay inside the library; hidden files and in-progress outputs (`*.partial.*`) are skipped.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isVideoFileName } from '../../../shared/domain/library';
import type { LibraryPaths } from '../../library/library-paths';

export interface FoundFile {
  readonly relativePath: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
}

export async function walkVideos(library: LibraryPaths, relativeDir: string, signal: AbortSignal): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const seenDirs = new Set<string>();
  async function visit(relDir: string): Promise<void> {
    signal.throwIfAborted();
    let absDir: string;
    try {
      absDir = library.resolve(relDir);
    } catch {
      return; // a link leading out of the library
    }
    const dirStat = await stat(absDir);
    const key = `${dirStat.dev}:${dirStat.ino}`;
    if (seenDirs.has(key)) return; // link loops
    seenDirs.add(key);
    const entries = await readdir(absDir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const rel = `${relDir}/${entry.name}`;
      if (entry.isSymbolicLink()) {
        try {
          const s = await stat(library.resolve(rel));
          if (s.isDirectory()) await visit(rel);
          else if (s.isFile() && isVideoFileName(entry.name)) found.push({ relativePath: rel, sizeBytes: s.size, mtimeMs: Math.round(s.mtimeMs) });
        } catch {
          // dangling or escaping link: skipped
        }
        continue;
      }
      if (entry.isDirectory()) await visit(rel);
      else if (entry.isFile() && isVideoFileName(entry.name)) {
        const s = await stat(join(absDir, entry.name));
        found.push({ relativePath: rel, sizeBytes: s.size, mtimeMs: Math.round(s.mtimeMs) });
      }
    }
  }
  await visit(relativeDir);
  return found.sort((a, b) => a.relativePath.localeCompare(b.relativePath));
}

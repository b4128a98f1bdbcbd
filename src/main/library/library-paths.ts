/**
 * Paths from users and from the database are library-relative. Every one is resolved here, and
 * nothing outside the library root is ever read or written: no absolute paths, no `..`, no NUL,
 * and no symbolic link (of the file or any folder above it) that leads out of the root.
 */
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AppError } from '../../shared/contracts/errors';
import { LIBRARY_DIRECTORIES } from '../../shared/domain/library';

function outsideRoot(path: string): AppError {
  return new AppError('VALIDATION_FAILED', `The path "${path}" is outside the library.`, { path });
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The nearest existing ancestor's real path, with the part that does not exist yet appended. */
function realpathOfPossiblyMissing(path: string): string {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      rest.push(existing.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
      existing = parent;
    }
  }
}

export class LibraryPaths {
  readonly root: string;
  private readonly realRoot: string;

  constructor(root: string) {
    this.root = resolve(root);
    mkdirSync(this.root, { recursive: true });
    this.realRoot = realpathSync(this.root);
  }

  /** Creates inbox, videos, public, playback, compilations, thumbnails and gifs if missing. */
  ensureDirectories(): void {
    for (const dir of LIBRARY_DIRECTORIES) mkdirSync(join(this.root, dir), { recursive: true });
  }

  /** The absolute path of a library-relative path; throws VALIDATION_FAILED when it would leave the root. */
  resolve(relativePath: string): string {
    if (relativePath.includes('\0') || isAbsolute(relativePath) || /^[a-zA-Z]:[\\/]/.test(relativePath)) throw outsideRoot(relativePath);
    if (relativePath.split(/[\\/]/).includes('..')) throw outsideRoot(relativePath);
    const absolute = resolve(this.root, relativePath);
    if (!isInside(this.root, absolute)) throw outsideRoot(relativePath);
    if (!isInside(this.realRoot, realpathOfPossiblyMissing(absolute))) throw outsideRoot(relativePath);
    return absolute;
  }

  /** The library-relative form (with forward slashes) of an absolute path inside the root. */
  toRelative(absolutePath: string): string {
    const rel = relative(this.root, absolutePath);
    if (rel.startsWith('..') || isAbsolute(rel)) throw outsideRoot(absolutePath);
    return rel.split(sep).join('/');
  }
}

/**
 * Moves a file without ever overwriting: rename within one file system; across file systems copy,
 * verify (size and SHA-256), then delete the source. A name already taken gets " (1)", " (2)" …
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { constants, copyFile, link, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The first free name in `dir` for `filename`: `a.mp4`, then `a (1).mp4`, `a (2).mp4` … */
export async function freeName(dir: string, filename: string): Promise<string> {
  const ext = extname(filename);
  const stem = basename(filename, ext);
  for (let i = 0; ; i++) {
    const candidate = join(dir, i === 0 ? filename : `${stem} (${i})${ext}`);
    if (!(await exists(candidate))) return candidate;
  }
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export interface MoveResult {
  readonly destination: string;
  readonly method: 'rename' | 'copy';
}

/** Moves `source` into `dir`, keeping its name when free. */
export async function moveFileSafely(source: string, dir: string): Promise<MoveResult> {
  const destination = await freeName(dir, basename(source));
  try {
    // link + unlink never replaces an existing file, unlike rename, even if a name is taken meanwhile
    await link(source, destination);
    await unlink(source);
    return { destination, method: 'rename' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
      // file systems without hard links: rename (destination was checked free just before)
      await rename(source, destination);
      return { destination, method: 'rename' };
    }
    if (code !== 'EXDEV') throw error;
  }
  await copyFile(source, destination, constants.COPYFILE_EXCL);
  try {
    const [a, b] = await Promise.all([stat(source), stat(destination)]);
    if (a.size !== b.size || (await sha256(source)) !== (await sha256(destination))) {
      throw new Error(`the copy of ${source} does not match the original`);
    }
  } catch (error) {
    await rm(destination, { force: true });
    throw error;
  }
  await unlink(source);
  return { destination, method: 'copy' };
}

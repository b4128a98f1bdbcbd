/**
 * Moves a file without ever overwriting: rename within one file system; across file systems copy
 * to a partial name (`name.<token>.partial.ext`, told to the caller so it can record it for
 * recovery), verify it (size and SHA-256), give it a free final name, then delete the source. A
 * copy cut short (crash, full disk) is never left under a name that looks like a result. A name
 * already taken gets " (1)", " (2)" …
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { constants, copyFile, link, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { linkNoClobber, partialPathFor } from '../media/staged-output';

/** The file operations of a move: a seam for tests (a cross-device move on one file system). */
export const moveFs = { link, copyFile };

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

export interface MoveOptions {
  /** The partial name's token of a cross-device copy (the attempt's); random by default. */
  readonly partialToken?: string;
  /** Told of the copy's partial file before it is written ('writing') and once it is gone ('gone'). */
  readonly onPartial?: (path: string, state: 'writing' | 'gone') => Promise<void>;
}

/** Moves `source` into `dir`, keeping its name when free. */
export async function moveFileSafely(source: string, dir: string, options: MoveOptions = {}): Promise<MoveResult> {
  const destination = await freeName(dir, basename(source));
  try {
    // link + unlink never replaces an existing file, unlike rename, even if a name is taken meanwhile
    await moveFs.link(source, destination);
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
  return copyAcrossDevices(source, dir, options);
}

async function copyAcrossDevices(source: string, dir: string, options: MoveOptions): Promise<MoveResult> {
  const partial = partialPathFor(join(dir, basename(source)), options.partialToken ?? randomUUID().slice(0, 8));
  await options.onPartial?.(partial, 'writing');
  let destination: string;
  try {
    await moveFs.copyFile(source, partial, constants.COPYFILE_EXCL);
    const [a, b] = await Promise.all([stat(source), stat(partial)]);
    if (a.size !== b.size || (await sha256(source)) !== (await sha256(partial))) {
      throw new Error(`the copy of ${source} does not match the original`);
    }
    // the final name is chosen now, never over a file that appeared meanwhile
    for (;;) {
      destination = await freeName(dir, basename(source));
      const done = await linkNoClobber(partial, destination);
      if (done === 'linked') await unlink(partial);
      if (done !== false) break;
    }
  } catch (error) {
    await rm(partial, { force: true });
    await options.onPartial?.(partial, 'gone').catch(() => undefined);
    throw error;
  }
  await options.onPartial?.(partial, 'gone');
  await unlink(source);
  return { destination, method: 'copy' };
}

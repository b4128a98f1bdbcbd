/**
 * Staged outputs: a tool writes `dir/name.<token>.partial.mp4` and only a successful run moves it to
 * `dir/name.mp4`, so a crash, a cancel or a failure never leaves something that looks like a
 * result. The real extension stays last because ffmpeg picks the muxer from it (`x.mp4.partial`
 * fails). The token makes the partial unique to one attempt of one job (`<job id 8>-a<attempt>`),
 * so two jobs writing the same output never share a partial. A failed or cancelled run removes
 * its partial file; nothing else is ever removed here (no "stale partial" clean-up by name).
 *
 * An existing final file is never overwritten unless asked: `onExisting: 'error'` (default)
 * fails with OutputExistsError, `'rename'` picks `name (1).mp4`, `name (2).mp4`, …, and
 * `'overwrite'` replaces it. The no-overwrite commit uses link()+unlink(), which fails atomically
 * when the target appeared in the meantime; where hard links are not supported (FAT, some network
 * shares) it falls back to a check followed by rename(). Library outputs are published by
 * steps/publish-output.ts, which links first and unlinks the partial only after the fenced record.
 */
import { link, mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

export type OnExisting = 'error' | 'rename' | 'overwrite';

export interface StageOptions {
  readonly onExisting?: OnExisting;
  /** Extra name part for runs that may share a final path: `name.<token>.partial.mp4`. */
  readonly token?: string;
  /** Accept an empty output file at commit (default false: empty means the tool made nothing). */
  readonly allowEmpty?: boolean;
}

export class OutputExistsError extends Error {
  constructor(readonly path: string) {
    super(`output already exists: ${path}`);
    this.name = 'OutputExistsError';
  }
}

export class MissingOutputError extends Error {
  constructor(readonly path: string) {
    super(`the tool produced no output at ${path}`);
    this.name = 'MissingOutputError';
  }
}

const PARTIAL_MARK = '.partial';

/** `dir/name.mp4` → `dir/name.partial.mp4` (or `dir/name.<token>.partial.mp4`). Pure. */
export function partialPathFor(finalPath: string, token?: string): string {
  const ext = extname(finalPath);
  const stem = finalPath.slice(0, finalPath.length - ext.length);
  return `${stem}${token ? `.${token}` : ''}${PARTIAL_MARK}${ext}`;
}

/** True for a path made by partialPathFor (what ffmpeg may write with `-y`). Pure. */
export function isPartialPath(path: string): boolean {
  const ext = extname(path);
  return path.slice(0, path.length - ext.length).endsWith(PARTIAL_MARK);
}

/** `dir/name.mp4`, n → `dir/name (n).mp4`. Pure. */
export function numberedPath(finalPath: string, n: number): string {
  const ext = extname(finalPath);
  const name = basename(finalPath, ext);
  return join(dirname(finalPath), `${name} (${n})${ext}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stagingFs.stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The file operations staging uses: a seam for tests that inject failures (ENOSPC at commit …). */
export const stagingFs = { link, unlink, rename, stat, mkdir };

/**
 * Links `from` to `to` unless `to` exists ('linked': both names now point to the file), or, where
 * hard links are not supported, renames it after a check ('moved': `from` is gone); false when `to`
 * exists.
 */
export async function linkNoClobber(from: string, to: string): Promise<'linked' | 'moved' | false> {
  try {
    await stagingFs.link(from, to);
    return 'linked';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
    if (await exists(to)) return false;
    await stagingFs.rename(from, to);
    return 'moved';
  }
}

/** Moves `from` to `to` unless `to` exists; false when it does. */
async function moveNoClobber(from: string, to: string): Promise<boolean> {
  const done = await linkNoClobber(from, to);
  if (done === 'linked') await stagingFs.unlink(from);
  return done !== false;
}

export class StagedOutput {
  readonly partialPath: string;
  private settled = false;

  constructor(
    readonly finalPath: string,
    private readonly options: StageOptions = {},
  ) {
    this.partialPath = partialPathFor(finalPath, options.token);
  }

  /**
   * Creates the folder and fails early if the final file exists (mode 'error'). Removes nothing: the
   * partial's name is unique to its attempt, and a path computed from a bad output path (the library
   * root itself, say) must never lead to a deletion.
   */
  async prepare(): Promise<this> {
    await stagingFs.mkdir(dirname(this.finalPath), { recursive: true });
    if ((this.options.onExisting ?? 'error') === 'error' && (await exists(this.finalPath))) throw new OutputExistsError(this.finalPath);
    return this;
  }

  /** The written partial (its size and inode); MissingOutputError when the tool made nothing (or an empty file). */
  async written(): Promise<{ size: number; dev: number; ino: number }> {
    let info;
    try {
      info = await stagingFs.stat(this.partialPath);
    } catch {
      throw new MissingOutputError(this.partialPath);
    }
    if (!info.isFile() || (info.size === 0 && !this.options.allowEmpty)) throw new MissingOutputError(this.partialPath);
    return { size: info.size, dev: info.dev, ino: info.ino };
  }

  /**
   * Gives the partial its final name, chosen now: the asked name, else `name (n).ext` (mode
   * 'rename'), else OutputExistsError (mode 'error'); mode 'overwrite' renames over it. 'linked':
   * the partial's name still exists (the caller unlinks it once the output is recorded).
   */
  async link(): Promise<{ path: string; how: 'linked' | 'moved' }> {
    if (this.settled) throw new Error(`staged output ${this.finalPath} was already committed or discarded`);
    const mode = this.options.onExisting ?? 'error';
    if (mode === 'overwrite') {
      await stagingFs.rename(this.partialPath, this.finalPath);
      return { path: this.finalPath, how: 'moved' };
    }
    let target = this.finalPath;
    for (let n = 1; ; n += 1) {
      const how = await linkNoClobber(this.partialPath, target);
      if (how) return { path: target, how };
      if (mode === 'error' || n > 9999) throw new OutputExistsError(target);
      target = numberedPath(this.finalPath, n);
    }
  }

  /** Marks the output published (discard() no longer touches anything). */
  settle(): void {
    this.settled = true;
  }

  /** Moves the partial into place; returns the final path actually used. */
  async commit(): Promise<string> {
    if (this.settled) throw new Error(`staged output ${this.finalPath} was already committed or discarded`);
    try {
      await this.written();
    } catch (error) {
      await this.discard();
      throw error;
    }
    const mode = this.options.onExisting ?? 'error';
    let target = this.finalPath;
    if (mode === 'overwrite') {
      await stagingFs.rename(this.partialPath, target);
    } else {
      for (let n = 1; !(await moveNoClobber(this.partialPath, target)); n += 1) {
        if (mode === 'error' || n > 9999) {
          await this.discard();
          throw new OutputExistsError(target);
        }
        target = numberedPath(this.finalPath, n);
      }
    }
    this.settled = true;
    return target;
  }

  /** Removes the partial file (failure, cancel); safe to call more than once; a no-op once published. */
  async discard(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await rm(this.partialPath, { force: true });
  }
}

/** Stages `finalPath` and prepares it (see StagedOutput.prepare). */
export function stageOutput(finalPath: string, options: StageOptions = {}): Promise<StagedOutput> {
  return new StagedOutput(finalPath, options).prepare();
}

/**
 * An output file of one attempt inside the library, from its partial to its published name.
 *
 * Protocol (each step's crash leaves only files recovery removes, see library/remove-partials.ts):
 *   stage    the partial `name.<job8>-a<attempt>.partial.ext` is RECORDED (attempt_partials) before
 *            the tool writes it: only this attempt ever writes that name.
 *   publish  1. the attempt must still own its job (fence; fleet: attempt number and lease), else
 *               the partial is removed and nothing is published;
 *            2. the final name is chosen now: link() to `name.ext`, else `name (1).ext` … (never
 *               over an existing file), the final name recorded, the partial's name unlinked;
 *            3. the record (video row, thumbnail, or a bare commit) is written in ONE fenced
 *               statement that also forgets the final name's record;
 *            4. fenced at step 3 (the job was cancelled or rescued meanwhile): the just-published
 *               file is removed again, if it is still the file this attempt linked (same inode).
 *   discard  a failed or cancelled attempt removes its own partial and its record, nothing else.
 *
 * A final name is only ever removed by the attempt that linked it (before its record committed)
 * or by recovery from that attempt's own record, so a fenced attempt never deletes a published
 * file of another job, and nothing outside the library root is ever touched.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { LibraryPaths } from '../../library/library-paths';
import { StagedOutput, stagingFs, type OnExisting } from '../media/staged-output';
import { JobError, type JobContext } from '../processor';
import { outputFailure } from './output-failure';
import { jobIdToken } from '../../../shared/domain/job-ids';

/**
 * The attempt's part of partial names: `<job id token>-a<attempt>`, the token being the id's LAST
 * 8 hex digits (its first ones are the creation time in a v7 id, shared by every job made within
 * a minute: two jobs writing the same name would have staged the same partial).
 */
export function attemptToken(job: { readonly id: string; readonly attempt: number }): string {
  return `${jobIdToken(job.id)}-a${job.attempt}`;
}

/**
 * Test seams: `beforePublish` runs between the verification and the fence check of a publish,
 * `beforeRecord` between the link to the final name and the fenced record.
 */
export const publishSeams = {
  beforePublish: async (_output: LibraryOutput): Promise<void> => {},
  beforeRecord: async (_file: PublishedFile): Promise<void> => {},
};

/** The attempt no longer owns its job (cancelled, or rescued after a lost lease): nothing was published. */
export class OutputFencedError extends JobError {
  constructor(relativePath: string) {
    super(`Not published: this attempt no longer owns its job (cancelled, or rescued after a lost lease); ${relativePath} was removed`, true);
    this.name = 'OutputFencedError';
  }
}

/**
 * For records that go with outputs already published (scenes, chosen segments): a check right
 * before the write that the attempt still owns its job (those writes are not fenced themselves).
 */
export async function assertOwnsJob(ctx: JobContext, what: string): Promise<void> {
  if (!(await ctx.files.ownsJob())) throw new JobError(`Not published: this attempt no longer owns its job (cancelled, or rescued after a lost lease); ${what} not stored`, true);
}

const NAME_MAX_BYTES = 255;
const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The library-relative form of an output's final path, refused (not retried) when it cannot be a file this attempt may write. */
export function outputRelative(library: LibraryPaths, finalPath: string): string {
  const relative = library.toRelative(finalPath);
  const name = basename(relative);
  const bad = (why: string) => new JobError(`Invalid output path "${relative || '.'}": ${why}`, false);
  if (relative === '' || relative === '.') throw bad('the library root is a folder, not a file');
  if (!extname(name) || name.startsWith('.')) throw bad('a file name with an extension is needed');
  if (name.includes('.partial.')) throw bad('".partial." is reserved for files being written');
  // the partial's name is longer than the final one by the attempt token and ".partial"
  if (utf8Bytes(name) + 40 > NAME_MAX_BYTES) throw bad(`the file name is longer than ${NAME_MAX_BYTES - 40} bytes`);
  return relative;
}

export interface PublishedFile {
  /** Absolute path under its final name. */
  readonly path: string;
  readonly relativePath: string;
}

type State = 'staged' | 'published' | 'discarded';

export class LibraryOutput {
  private state: State = 'staged';

  private constructor(
    private readonly ctx: JobContext,
    private readonly library: LibraryPaths,
    private readonly staged: StagedOutput,
    /** Library-relative final path as asked (the published one may carry " (n)"). */
    readonly relativePath: string,
    readonly relativePartial: string,
    private readonly mode: OnExisting,
  ) {}

  /**
   * Stages `finalPath` (absolute, inside the library) for this attempt: creates its folder and
   * records the partial. `onExisting` is 'rename' (never overwrite) unless a job type replaces
   * its own previous output ('overwrite': scene stills, see scene-stills.ts).
   */
  static async stage(ctx: JobContext, library: LibraryPaths, finalPath: string, options: { onExisting?: 'rename' | 'overwrite' } = {}): Promise<LibraryOutput> {
    const relativePath = outputRelative(library, finalPath);
    const mode = options.onExisting ?? 'rename';
    const staged = new StagedOutput(finalPath, { onExisting: mode, token: attemptToken(ctx.job) });
    const relativePartial = library.toRelative(staged.partialPath);
    try {
      await staged.prepare();
      await ctx.files.recordPartial(relativePartial);
    } catch (error) {
      throw outputFailure(error, relativePath);
    }
    return new LibraryOutput(ctx, library, staged, relativePath, relativePartial, mode);
  }

  /** Where the tool writes. */
  get partialPath(): string {
    return this.staged.partialPath;
  }

  get finalPath(): string {
    return this.staged.finalPath;
  }

  /** Checks the tool wrote something (MissingOutputError, as a JobError, when not). */
  async written(): Promise<void> {
    try {
      await this.staged.written();
    } catch (error) {
      throw outputFailure(error, this.relativePath);
    }
  }

  /**
   * Publishes the partial under a free final name and writes its record with `record`, which must
   * be fenced by ctx.files.fence and forget the record of `relativePath` (VideoStore.publishVideo,
   * publishThumbnail, or ctx.files.commit) and returns null when fenced. Fenced: throws
   * OutputFencedError and nothing stays published. Any other failure removes what was written.
   */
  async publish<T>(record: (file: PublishedFile) => Promise<T | null>): Promise<PublishedFile & { value: T }> {
    if (this.state !== 'staged') throw new Error(`output ${this.relativePath} was already published or discarded`);
    await publishSeams.beforePublish(this);
    if (this.ctx.signal.aborted) {
      // cancelled (or stopped) here: the attempt publishes nothing more
      await this.discard();
      throw this.ctx.signal.reason instanceof Error ? this.ctx.signal.reason : new Error('cancelled');
    }
    if (!(await this.ctx.files.ownsJob())) {
      await this.discard();
      throw new OutputFencedError(this.relativePartial);
    }
    let written: { dev: number; ino: number };
    let held: FileHandle;
    try {
      written = await this.staged.written();
      // held open until this publish ends: while it is, the file's inode number cannot be given to
      // another file (were both its names removed meanwhile, by a rescue say), so the same-inode
      // check of rollback() can never take another job's file for ours
      held = await open(this.partialPath, 'r');
    } catch (error) {
      await this.discard();
      throw outputFailure(error, this.relativePath);
    }
    try {
      return await this.publishHeld(record, written);
    } finally {
      await held.close().catch(() => undefined);
    }
  }

  private async publishHeld<T>(record: (file: PublishedFile) => Promise<T | null>, written: { dev: number; ino: number }): Promise<PublishedFile & { value: T }> {
    let linked: { path: string; how: 'linked' | 'moved' };
    try {
      linked = await this.staged.link();
    } catch (error) {
      await this.discard();
      throw outputFailure(error, this.relativePath);
    }
    this.staged.settle();
    this.state = 'published';
    const file: PublishedFile = { path: linked.path, relativePath: this.library.toRelative(linked.path) };
    let value: T | null;
    try {
      if (this.mode !== 'overwrite') await this.ctx.files.recordPartial(file.relativePath);
      if (linked.how === 'linked') await stagingFs.unlink(this.partialPath);
      await this.ctx.files.forgetPartial(this.relativePartial);
      await publishSeams.beforeRecord(file);
      value = await record(file);
    } catch (error) {
      await this.rollback(file, written);
      throw outputFailure(error, file.relativePath);
    }
    if (value === null) {
      await this.rollback(file, written);
      throw new OutputFencedError(file.relativePath);
    }
    return { ...file, value };
  }

  /** Removes the partial (failure, cancel) and its record; a no-op once published or discarded. */
  async discard(): Promise<void> {
    if (this.state !== 'staged') return;
    this.state = 'discarded';
    await this.staged.discard();
    await this.ctx.files.forgetPartial(this.relativePartial).catch(() => undefined); // recovery removes it otherwise
  }

  /** Takes a just-published file back: only if it is still the file this attempt linked, never another job's. */
  private async rollback(file: PublishedFile, written: { dev: number; ino: number }): Promise<void> {
    await rm(this.partialPath, { force: true }).catch(() => undefined);
    if (this.mode !== 'overwrite') {
      const now = await stagingFs.stat(file.path).catch(() => null);
      if (now && now.ino === written.ino && now.dev === written.dev) await rm(file.path, { force: true }).catch(() => undefined);
      await this.ctx.files.forgetPartial(file.relativePath).catch(() => undefined);
    }
    await this.ctx.files.forgetPartial(this.relativePartial).catch(() => undefined);
  }
}

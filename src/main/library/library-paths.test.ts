import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/contracts/errors';
import { LibraryPaths } from './library-paths';

const base = mkdtempSync(join(tmpdir(), 'mjc-lib-'));
const root = join(base, 'library');
const outside = join(base, 'secret');
mkdirSync(outside);
writeFileSync(join(outside, 'passwd'), 'x');
const library = new LibraryPaths(root);
library.ensureDirectories();
symlinkSync(outside, join(root, 'videos', 'escape'));
symlinkSync(join(outside, 'passwd'), join(root, 'videos', 'passwd.mp4'));
mkdirSync(join(root, 'videos', 'sub'));
symlinkSync(join(root, 'videos', 'sub'), join(root, 'videos', 'inside-link'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const refused = (p: string) => {
  try {
    library.resolve(p);
  } catch (error) {
    return isAppError(error) && error.code === 'VALIDATION_FAILED';
  }
  return false;
};

describe('library paths', () => {
  it('creates the library folders', () => {
    for (const dir of ['inbox', 'videos', 'public', 'playback', 'compilations', 'thumbnails', 'gifs']) expect(library.resolve(dir)).toBe(join(root, dir));
  });

  it.each(['/etc/passwd', '../secret/passwd', 'videos/../../secret/passwd', 'videos/..', 'videos\\..\\..\\x', 'C:\\Windows', 'videos/a\0.mp4', 'videos/escape/passwd', 'videos/escape/new.mp4', 'videos/passwd.mp4'])(
    'refuses %j',
    (p) => expect(refused(p)).toBe(true),
  );

  it('accepts paths inside, existing or not, through links that stay inside', () => {
    expect(library.resolve('videos/new/clip.mp4')).toBe(join(root, 'videos', 'new', 'clip.mp4'));
    expect(library.resolve('videos/inside-link/clip.mp4')).toBe(join(root, 'videos', 'inside-link', 'clip.mp4'));
    expect(library.toRelative(join(root, 'videos', 'a b.mp4'))).toBe('videos/a b.mp4');
    expect(() => library.toRelative(join(outside, 'x'))).toThrow(/outside the library/);
  });
});

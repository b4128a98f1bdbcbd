import { linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttemptPartial } from '../core/ports';
import { LibraryPaths } from './library-paths';
import { finalNameOf, removeAttemptFiles } from './remove-partials';

let dir: string;
let library: LibraryPaths;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mjc-remove-partials-'));
  library = new LibraryPaths(join(dir, 'library'));
  library.ensureDirectories();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const row = (path: string): AttemptPartial => ({ jobId: 'j', attempt: 1, path, nodeId: 'n', createdAt: 0 });
const ls = (folder: string) => readdirSync(join(library.root, folder)).sort();

describe('removing the files of dead attempts', () => {
  it('names the final file of a partial (pure)', () => {
    expect(finalNameOf('x.0123abcd-a2.partial.mp4')).toEqual({ stem: 'x', ext: '.mp4' });
    expect(finalNameOf('a.b.0123abcd-a1.partial.gif')).toEqual({ stem: 'a.b', ext: '.gif' });
    expect(finalNameOf('x.mp4')).toBeNull();
    expect(finalNameOf('x.partial.mp4')).toBeNull();
  });

  it('removes a partial and the final name it was linked to before the record, never a same-named file of another inode', async () => {
    const playback = join(library.root, 'playback');
    writeFileSync(join(playback, 'x.0123abcd-a1.partial.mp4'), 'mine');
    linkSync(join(playback, 'x.0123abcd-a1.partial.mp4'), join(playback, 'x (1).mp4'));
    writeFileSync(join(playback, 'x.mp4'), 'another job');
    writeFileSync(join(playback, 'y.mp4'), 'unrelated');
    const removed = await removeAttemptFiles(library, [row('playback/x.0123abcd-a1.partial.mp4')]);
    expect(removed.sort()).toEqual(['playback/x (1).mp4', 'playback/x.0123abcd-a1.partial.mp4']);
    expect(ls('playback')).toEqual(['x.mp4', 'y.mp4']);
  });

  it('never touches anything outside the library, the root, a folder or a symbolic link', async () => {
    writeFileSync(join(dir, 'library.partial'), 'beside the root');
    writeFileSync(join(dir, 'outside.mp4'), 'outside');
    mkdirSync(join(library.root, 'gifs', 'folder.partial.gif'));
    symlinkSync(join(dir, 'outside.mp4'), join(library.root, 'gifs', 'link.0123abcd-a1.partial.gif'));
    const removed = await removeAttemptFiles(library, [
      row('../library.partial'),
      row(join(dir, 'outside.mp4')),
      row('.'),
      row(''),
      row('gifs/folder.partial.gif'),
      row('gifs/link.0123abcd-a1.partial.gif'),
      row('gifs/missing.0123abcd-a1.partial.gif'),
    ]);
    expect(removed).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['library', 'library.partial', 'outside.mp4']);
    expect(ls('gifs')).toEqual(['folder.partial.gif', 'link.0123abcd-a1.partial.gif']);
  });
});

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePrivateDirectory, ensurePrivateFile, tightenPrivateFile } from './private-paths';

const root = mkdtempSync(join(tmpdir(), 'private-paths-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Runs `body` with umask 0, so nothing is owner-only unless we made it so (vitest runs files in forks). */
function withOpenUmask<T>(body: () => T): T {
  const before = process.umask(0);
  try {
    return body();
  } finally {
    process.umask(before);
  }
}

describe.skipIf(process.platform === 'win32')('private paths', () => {
  it('creates a missing folder 0700 whatever the umask, its parents with the usual mode', () => {
    const path = join(root, 'fresh', 'parent', 'data');
    withOpenUmask(() => ensurePrivateDirectory(path));
    expect(modeOf(path)).toBe(0o700);
    expect(modeOf(join(root, 'fresh', 'parent'))).toBe(0o777);
  });

  it.each([
    [0o755, 0o700],
    [0o777, 0o700],
    [0o750, 0o700],
    [0o711, 0o700],
    [0o700, 0o700],
    [0o500, 0o500], // never loosened
  ])('tightens an existing folder of ours from %o to %o', (before, after) => {
    const path = join(root, `existing-${before.toString(8)}`);
    mkdirSync(path);
    chmodSync(path, before);
    ensurePrivateDirectory(path);
    expect(modeOf(path)).toBe(after);
  });

  it('creates a missing file 0600 whatever the umask, and never truncates an existing one', () => {
    const path = join(root, 'file-new');
    withOpenUmask(() => ensurePrivateFile(path));
    expect(modeOf(path)).toBe(0o600);
    expect(statSync(path).size).toBe(0);

    const old = join(root, 'file-old');
    writeFileSync(old, 'content');
    chmodSync(old, 0o644);
    ensurePrivateFile(old);
    expect(modeOf(old)).toBe(0o600);
    expect(readFileSync(old, 'utf8')).toBe('content');
  });

  it.each([
    [0o644, 0o600],
    [0o666, 0o600],
    [0o640, 0o600],
    [0o600, 0o600],
    [0o400, 0o400], // not loosened
  ])('tightens an existing file of ours from %o to %o', (before, after) => {
    const path = join(root, `file-${before.toString(8)}`);
    writeFileSync(path, 'x');
    chmodSync(path, before);
    tightenPrivateFile(path);
    expect(modeOf(path)).toBe(after);
  });

  it('leaves a missing file missing', () => {
    const path = join(root, 'not-there');
    tightenPrivateFile(path);
    expect(() => statSync(path)).toThrow();
  });
});

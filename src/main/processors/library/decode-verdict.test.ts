/** When a header-only probe keeps a full decode's verdict: the table of what the row and the file say. */
import { describe, expect, it } from 'vitest';
import type { VideoRecord } from '../../core/library-ports';
import { keepsDecodeVerdict } from './decode-verdict';

const file = { sizeBytes: 1_000, mtimeMs: 5_000 };
const damaged = { valid: false, validationError: 'the full decode printed 3 error line(s), the first: x', probedAt: 9_000, sizeBytes: 1_000, mtimeMs: 5_000 };

describe('keepsDecodeVerdict', () => {
  it.each<[string, Partial<VideoRecord>, typeof file | null, boolean]>([
    ['a full decode found the very file there now damaged', damaged, file, true],
    ['the file grew since', damaged, { ...file, sizeBytes: 1_001 }, false],
    ['the file was written since (mtime)', damaged, { ...file, mtimeMs: 5_001 }, false],
    ['the file cannot be read now', damaged, null, false],
    ['the watcher saw it change (its probe cleared)', { ...damaged, probedAt: null }, file, false],
    ['the verdict came from a probe, not a decode', { ...damaged, validationError: 'moov atom not found' }, file, false],
    ['the video is valid', { ...damaged, valid: true, validationError: null }, file, false],
    ['the video was never probed', { ...damaged, valid: null }, file, false],
    ['the row knows no size', { ...damaged, sizeBytes: null }, file, false],
    ['the row knows no mtime', { ...damaged, mtimeMs: null }, file, false],
  ])('%s', (_what, row, now, keeps) => {
    expect(keepsDecodeVerdict(row as VideoRecord, now)).toBe(keeps);
  });
});

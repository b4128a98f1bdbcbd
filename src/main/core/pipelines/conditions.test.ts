/** Conditions over a library video, table-driven: what passes, and the words for what fails. */
import { describe, expect, it } from 'vitest';
import { conditionGroupSchema, type ConditionGroup } from '../../../shared/domain/pipeline-conditions';
import type { VideoRecord } from '../library-ports';
import { NOW, video } from './testing';
import { compileConditions, globToRegExp, needsTags } from './conditions';

const check = (group: unknown, v: VideoRecord, tags: Record<string, number> | null = null) =>
  compileConditions(conditionGroupSchema.parse(group))({ video: v, tags: tags ? new Map(Object.entries(tags)) : null }, NOW);

describe('conditions', () => {
  it.each<[string, ConditionGroup | Record<string, unknown>, string | null]>([
    ['codec in a list (case-insensitive)', { all: [{ field: 'videoCodec', op: 'in', value: ['HEVC', 'mpeg4'] }] }, null],
    ['codec ne', { all: [{ field: 'videoCodec', op: 'ne', value: 'hevc' }] }, 'video codec is not hevc: is hevc'],
    ['container from the extension', { all: [{ field: 'container', op: 'eq', value: 'mkv' }] }, null],
    ['container notIn', { all: [{ field: 'container', op: 'notIn', value: ['mp4', 'mkv'] }] }, 'container is none of [mp4, mkv]: is mkv'],
    ['folder under', { all: [{ field: 'folder', op: 'under', value: 'inbox' }] }, null],
    ['folder eq is exact', { all: [{ field: 'folder', op: 'eq', value: 'inbox' }] }, 'folder is inbox: is inbox/holiday'],
    ['file name glob', { all: [{ field: 'fileName', op: 'matches', value: 'gopr*.mkv' }] }, null],
    ['file name glob miss', { all: [{ field: 'fileName', op: 'notMatches', value: 'GOPR????.*' }] }, 'file name does not match GOPR????.*: is "GOPR0042.MKV"'],
    ['duration gt', { all: [{ field: 'durationSeconds', op: 'gt', value: 600 }] }, null],
    ['height between', { all: [{ field: 'height', op: 'between', value: [720, 1080] }] }, null],
    ['width lt', { all: [{ field: 'width', op: 'lt', value: 1280 }] }, 'width < 1280: is 1920'],
    ['bits per pixel (6 Mbit/s over 1080p30 ≈ 0.096)', { all: [{ field: 'bitsPerPixel', op: 'lt', value: 0.1 }] }, null],
    ['size gte', { all: [{ field: 'sizeBytes', op: 'gte', value: 50_000_000 }] }, null],
    ['fps eq', { all: [{ field: 'fps', op: 'eq', value: 25 }] }, 'frame rate is 25: is 30'],
    ['has audio', { all: [{ field: 'hasAudio', op: 'eq', value: false }] }, 'has audio is false: is true'],
    ['orientation', { all: [{ field: 'orientation', op: 'eq', value: 'landscape' }] }, null],
    ['validated more than 30 days ago', { all: [{ field: 'probedDaysAgo', op: 'gt', value: 30 }] }, null],
    ['any-of: one passes', { any: [{ field: 'width', op: 'lt', value: 100 }, { field: 'videoCodec', op: 'eq', value: 'hevc' }] }, null],
    ['any-of: none passes', { any: [{ field: 'width', op: 'lt', value: 100 }, { field: 'fps', op: 'gt', value: 60 }] }, 'none of: width < 100: is 1920; frame rate > 60: is 30'],
    ['all-of stops at the first failure', { all: [{ field: 'valid', op: 'eq', value: true }, { field: 'fps', op: 'gt', value: 60 }, { field: 'width', op: 'lt', value: 1 }] }, 'frame rate > 60: is 30'],
    ['nested', { all: [{ any: [{ field: 'videoCodec', op: 'eq', value: 'h264' }, { all: [{ field: 'hasAudio', op: 'eq', value: true }, { field: 'audioCodec', op: 'ne', value: 'aac' }] }] }] }, null],
    ['an empty all-of passes', { all: [] }, null],
  ])('%s', (_what, group, expected) => {
    expect(check(group, video())).toBe(expected);
  });

  it('fails a condition on a field the library does not know yet, and says so', () => {
    const unprobed = video({ videoCodec: null, width: null, probedAt: null, bitrate: null });
    expect(check({ all: [{ field: 'videoCodec', op: 'ne', value: 'h264' }] }, unprobed)).toBe('video codec is not h264: unknown (not probed)');
    expect(check({ all: [{ field: 'bitsPerPixel', op: 'gt', value: 0 }] }, unprobed)).toBe('bits per pixel > 0: unknown (not probed)');
    expect(check({ all: [{ field: 'probedDaysAgo', op: 'gt', value: 30 }] }, unprobed)).toBeNull(); // never validated: long ago
  });

  it('tests tags with a confidence, and says which tags need loading', () => {
    const group = { all: [{ field: 'tag', op: 'has', value: 'face', minConfidence: 0.6 }] };
    expect(check(group, video(), { face: 0.7 })).toBeNull();
    expect(check(group, video(), { face: 0.5 })).toBe('has tag "face" (confidence ≥ 0.6): confidence 0.5');
    expect(check(group, video(), {})).toBe('has tag "face" (confidence ≥ 0.6): no such tag');
    expect(check({ all: [{ field: 'tag', op: 'lacks', value: 'dark' }] }, video(), { face: 1 })).toBeNull();
    expect(needsTags(conditionGroupSchema.parse({ any: [{ field: 'width', op: 'gt', value: 1 }, { all: [group] }] }))).toBe(true);
    expect(needsTags(conditionGroupSchema.parse({ all: [{ field: 'width', op: 'gt', value: 1 }] }))).toBe(false);
  });

  it('turns globs into anchored, escaped patterns', () => {
    expect(globToRegExp('a.b*(1)?.mp4').test('A.Bxyz(1)z.MP4')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

/** The decision the dry run and real runs share: missing, conditions, own outputs, processed content, force. */
import { describe, expect, it } from 'vitest';
import { conditionGroupSchema } from '../../../shared/domain/pipeline-conditions';
import { compileConditions } from './conditions';
import { video } from './testing';
import { contentKey, processedIndex, repeatBefore, screenVideo, type ScreeningContext } from './screening';

const ctx = (over: Partial<ScreeningContext> = {}): ScreeningContext => ({
  conditions: compileConditions(conditionGroupSchema.parse({ all: [{ field: 'videoCodec', op: 'ne', value: 'h264' }] })),
  now: 0,
  force: false,
  pipelineOfJob: new Map([['job-of-p', 'p'], ['job-of-q', 'q']]),
  pipelineId: 'p',
  processed: processedIndex([{ sizeBytes: 50_000_000, mtimeMs: 1_000, runId: 'run-1', at: 0 }]),
  ...over,
});

describe('screening', () => {
  it('skips in order: missing, condition, own output, processed; force runs past the last two', () => {
    const fresh = video({ sizeBytes: 1, mtimeMs: 2 });
    expect(screenVideo({ video: fresh, tags: null }, ctx())).toEqual({ run: true });
    expect(screenVideo({ video: { ...fresh, missing: true, videoCodec: 'h264' }, tags: null }, ctx())).toMatchObject({ run: false, kind: 'missing' });
    expect(screenVideo({ video: { ...fresh, videoCodec: 'h264' }, tags: null }, ctx())).toEqual({ run: false, kind: 'condition', reason: 'video codec is not h264: is h264' });
    expect(screenVideo({ video: { ...fresh, sourceJobId: 'job-of-p' }, tags: null }, ctx())).toMatchObject({ run: false, kind: 'own_output' });
    expect(screenVideo({ video: { ...fresh, sourceJobId: 'job-of-q' }, tags: null }, ctx())).toEqual({ run: true });
    expect(screenVideo({ video: video(), tags: null }, ctx())).toEqual({ run: false, kind: 'processed', reason: 'already processed by this version of the pipeline (run run-1)' });
    expect(screenVideo({ video: video({ sourceJobId: 'job-of-p' }), tags: null }, ctx({ force: true }))).toEqual({ run: true });
    expect(screenVideo({ video: { ...video(), videoCodec: 'h264' }, tags: null }, ctx({ force: true }))).toMatchObject({ kind: 'condition' });
  });

  it('keys content by size and mtime, and lets content run again after repeatAfterDays', () => {
    expect(contentKey(5, 6)).toBe('5:6');
    expect(contentKey(null, 6)).toBeNull();
    expect(repeatBefore(null, 1_000)).toBeNull();
    expect(repeatBefore(30, 31 * 86_400_000)).toBe(86_400_000);
  });
});

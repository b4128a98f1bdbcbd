import { describe, expect, it } from 'vitest';
import { checkParams, defaultParams, jobTypeOptions, videoCountOf, videoInputOf, withVideos } from './job-form';

const VIDEO = '6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d';

describe('create-job form logic', () => {
  it('knows which types take one video, several, or none', () => {
    expect(videoInputOf('scan')).toBe('none');
    expect(videoInputOf('compile_random')).toBe('none');
    expect(videoInputOf('reencode_streaming')).toBe('single');
    expect(videoInputOf('compile_quad')).toBe('multiple');
    expect(videoCountOf('compile_quad')).toEqual({ min: 4, max: 4 });
    expect(videoCountOf('compile_mega')).toEqual({ min: 2, max: 100 });
  });

  it('fills the schema defaults, with the chosen video', () => {
    expect(defaultParams('scan')).toEqual({ directoryType: 'videos', skipExisting: true });
    expect(defaultParams('reencode_streaming', [VIDEO])).toEqual({ videoId: VIDEO, targetBitrate: 2000, preset: 'medium', crf: 23 });
    expect(defaultParams('compile_mega', [VIDEO, VIDEO])).toEqual({ videoIds: [VIDEO, VIDEO], layout: 'grid' });
  });

  it('puts a newly chosen video into edited JSON without losing the edits', () => {
    const edited = JSON.stringify({ videoId: '', crf: 30 });
    expect(JSON.parse(withVideos('reencode_streaming', edited, [VIDEO]))).toEqual({ videoId: VIDEO, crf: 30 });
    expect(withVideos('reencode_streaming', '{ not json', [VIDEO])).toBe('{ not json');
  });

  it('checks parameters against the schema, field by field', () => {
    expect(checkParams('reencode_streaming', JSON.stringify({ videoId: VIDEO, crf: 20 }))).toEqual({ ok: true, params: { videoId: VIDEO, crf: 20 } });
    const bad = checkParams('reencode_streaming', JSON.stringify({ videoId: 'nope', crf: 99, preset: 'warp' }));
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.errors).sort()).toEqual(['crf', 'preset', 'videoId']);
    expect(bad.errors.videoId).toBe('must be a video id (UUID)');
    expect(checkParams('scan', '{"directoryType": ')).toMatchObject({ ok: false, errors: { '': expect.stringMatching(/Not valid JSON/) } });
    expect(checkParams('scan', '[1]')).toEqual({ ok: false, errors: { '': 'Parameters must be a JSON object.' } });
  });

  it('groups the 15 types by resource category', () => {
    const groups = jobTypeOptions();
    expect(groups.map((g) => g.group)).toEqual(['CPU', 'GPU Encode', 'GPU AI']);
    expect(groups.flatMap((g) => g.items)).toHaveLength(15);
    expect(groups[1]!.items.map((i) => i.value)).toContain('reencode_streaming');
  });
});

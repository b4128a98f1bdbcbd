import { describe, expect, it } from 'vitest';
import { JOB_TYPES, isSegmentChild } from '../../../../shared/domain/job-types';
import { jobTypeGroups } from '../../lib/job-type-labels';
import { paramFieldsOf } from '../../lib/schema-fields';
import { checkParams, fromParams, GROUP_ON, initialValues, parseParamsJson, toParams } from './job-form';

const VIDEO = '6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d';

describe('create-job form logic', () => {
  it('starts from the schema defaults, with the videos chosen so far', () => {
    expect(toParams(paramFieldsOf('scan'), initialValues(paramFieldsOf('scan')))).toEqual({ directoryType: 'videos', skipExisting: true, thumbnails: true });
    const reencode = paramFieldsOf('reencode_streaming');
    expect(toParams(reencode, initialValues(reencode, [VIDEO]))).toEqual({ videoId: VIDEO, targetBitrate: 2000, preset: 'medium', crf: 23 });
    const mega = paramFieldsOf('compile_mega');
    expect(toParams(mega, initialValues(mega, [VIDEO, VIDEO]))).toEqual({ videoIds: [VIDEO, VIDEO], layout: 'grid' });
  });

  it('leaves out what is left empty, and sends an optional group only when switched on', () => {
    const fields = paramFieldsOf('transcode');
    const values = { ...initialValues(fields, [VIDEO]), crf: '', maxHeight: 720 };
    const params = toParams(fields, values);
    expect(params).not.toHaveProperty('crf');
    expect(params).not.toHaveProperty('verifyQuality');
    expect(params.maxHeight).toBe(720);
    const on = toParams(fields, { ...values, verifyQuality: { [GROUP_ON]: true, metric: 'ssim', min: 0.9 } });
    expect(on.verifyQuality).toEqual({ metric: 'ssim', min: 0.9 });
  });

  it('turns JSON parameters back into form values (lists included) and names unknown keys', () => {
    const fields = paramFieldsOf('clip_generate');
    const { values, unknown } = fromParams(fields, { videoId: VIDEO, ranges: [{ start: 1, end: 2 }], extra: 1 });
    expect(unknown).toEqual(['extra']);
    expect(toParams(fields, values)).toEqual({ videoId: VIDEO, ranges: [{ start: 1, end: 2 }] });
  });

  it('makes valid parameters for every job type from its defaults and enough videos', () => {
    // the parts of a segmented encode are made by their parent, never from the form (jobTypeGroups leaves them out)
    for (const type of JOB_TYPES.filter((t) => !isSegmentChild(t))) {
      const fields = paramFieldsOf(type);
      const videos = fields.some((f) => f.kind === 'videos') ? Array.from({ length: (fields.find((f) => f.kind === 'videos') as { min: number }).min }, () => VIDEO) : [VIDEO];
      const check = checkParams(type, fields, toParams(fields, initialValues(fields, videos)));
      expect(check, type).toMatchObject({ ok: true });
    }
  });

  it('checks parameters against the schema, field by field, and explains an empty video', () => {
    const fields = paramFieldsOf('reencode_streaming');
    const bad = checkParams('reencode_streaming', fields, { videoId: 'nope', crf: 99, preset: 'warp' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.errors).sort()).toEqual(['crf', 'preset', 'videoId']);
    expect(bad.errors.videoId).toBe('Choose a video.');
    expect(checkParams('scan', paramFieldsOf('scan'), [1])).toEqual({ ok: false, errors: { '': 'Parameters must be a JSON object.' } });
    const quad = checkParams('compile_quad', paramFieldsOf('compile_quad'), { videoIds: [VIDEO] });
    expect(quad).toMatchObject({ ok: false, errors: { videoIds: 'Choose exactly 4 videos.' } });
  });

  it('says where JSON stops being JSON, by line and column', () => {
    const parsed = parseParamsJson('{\n  "directoryType": "inbox",\n  "skipExisting": tru\n}');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.line).toBe(3);
    expect(parseParamsJson('')).toEqual({ ok: true, params: {} });
  });

  it('names every type of the catalog with its label and id, grouped by category (not the parts of segmented encodes)', () => {
    const groups = jobTypeGroups();
    expect(groups.map((g) => g.group)).toEqual(['CPU', 'GPU Encode', 'GPU AI']);
    const items = groups.flatMap((g) => g.items);
    expect(items.map((i) => i.value).sort()).toEqual(JOB_TYPES.filter((t) => t !== 'encode_chunk' && t !== 'encode_audio').sort());
    expect(items.find((i) => i.value === 'compile_gif')!.label).toBe('Create GIF from video (compile_gif)');
  });
});

import { describe, expect, it } from 'vitest';
import { JOB_TYPES } from '../../../shared/domain/job-types';
import { labelOf, paramFieldsOf } from './schema-fields';

describe('job parameter fields from the schemas', () => {
  it('reads every job type of the catalog (a new type gets a form with no change here)', () => {
    for (const type of JOB_TYPES) expect(() => paramFieldsOf(type), type).not.toThrow();
  });

  it('turns video ids into pickers, enums into selects, and keeps defaults, bounds and help', () => {
    const fields = paramFieldsOf('reencode_streaming');
    expect(fields.find((f) => f.name === 'videoId')).toMatchObject({ kind: 'video', required: true, label: 'Video' });
    expect(fields.find((f) => f.name === 'preset')).toMatchObject({ kind: 'enum', defaultValue: 'medium', required: false });
    expect(fields.find((f) => f.name === 'crf')).toMatchObject({ kind: 'number', integer: true, min: 0, max: 51, defaultValue: 23, label: 'CRF' });
    expect(fields.find((f) => f.name === 'targetBitrate')).toMatchObject({ label: 'Target bitrate', description: expect.stringMatching(/ceiling/) });
    expect(paramFieldsOf('compile_quad').find((f) => f.name === 'videoIds')).toMatchObject({ kind: 'videos', min: 4, max: 4 });
    expect(paramFieldsOf('compile_gif').find((f) => f.name === 'duration')).toMatchObject({ min: 0, max: 60, exclusiveMin: true });
    expect(paramFieldsOf('scan').find((f) => f.name === 'skipExisting')).toMatchObject({ kind: 'boolean', defaultValue: true });
  });

  it('makes a switchable group of a flat optional object and repeatable rows of a list of objects', () => {
    expect(paramFieldsOf('transcode').find((f) => f.name === 'verifyQuality')).toMatchObject({ kind: 'group', required: false, fields: [{ name: 'metric', kind: 'enum' }, { name: 'min', kind: 'number' }] });
    expect(paramFieldsOf('clip_generate').find((f) => f.name === 'ranges')).toMatchObject({ kind: 'list', max: 200, fields: [{ name: 'start' }, { name: 'end' }] });
    expect(paramFieldsOf('clip_generate').find((f) => f.name === 'digestJobId')).toMatchObject({ kind: 'text', format: 'uuid' });
  });

  it('labels names as words', () => {
    expect(labelOf('minSceneLength')).toBe('Min scene length');
    expect(labelOf('videoIds')).toBe('Videos');
  });
});

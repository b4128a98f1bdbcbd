import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contracts/errors';
import { JOB_TYPE_CATALOG } from '../../shared/domain/job-types';
import { buildNewJob } from './create-job';

const VIDEO = '0190a3b2-0000-7000-8000-000000000001';
const build = (type: string, params: Record<string, unknown>) => buildNewJob({ type, params, priority: 5 } as Parameters<typeof buildNewJob>[0], JOB_TYPE_CATALOG, () => null, 1_000);
const refusal = (type: string, params: Record<string, unknown>) => {
  try {
    build(type, params);
  } catch (error) {
    return error instanceof AppError ? [error.code, error.message] : error;
  }
  return null;
};

describe('a GPU job asks for its GPU in its params (gpu, gpuModel)', () => {
  it('GPU job types accept gpu and gpuModel beside their own (strict) params, and keep them for placement', () => {
    expect(build('tag_generation', { videoId: VIDEO, gpu: 1 }).params).toMatchObject({ videoId: VIDEO, gpu: 1 });
    expect(build('transcode', { videoId: VIDEO, gpuModel: ' 4090 ' }).params).toMatchObject({ videoId: VIDEO, codec: 'hevc', gpuModel: '4090' });
    expect(build('scene_extract', { videoId: VIDEO }).params).not.toHaveProperty('gpu');
  });

  it('refuses a bad GPU request (400 VALIDATION_FAILED naming the param), and a CPU job type keeps refusing the keys', () => {
    expect(refusal('tag_generation', { videoId: VIDEO, gpu: -1 })).toEqual(['VALIDATION_FAILED', expect.stringMatching(/^Invalid params for tag_generation: gpu: /)]);
    expect(refusal('tag_generation', { videoId: VIDEO, gpu: '1' })).toEqual(['VALIDATION_FAILED', expect.stringMatching(/gpu: /)]);
    expect(refusal('tag_generation', { videoId: VIDEO, gpuModel: '' })).toEqual(['VALIDATION_FAILED', expect.stringMatching(/gpuModel: /)]);
    expect(refusal('validate', { videoId: VIDEO, gpu: 1 })).toEqual(['VALIDATION_FAILED', 'Invalid params for validate: gpu: only GPU job types can ask for a GPU; validate runs on the CPU']);
    expect(refusal('validate', { videoId: VIDEO, gpuModel: 'A100' })).toEqual(['VALIDATION_FAILED', expect.stringMatching(/gpuModel: only GPU job types can ask for a GPU/)]);
    expect(build('validate', { videoId: VIDEO }).params).toEqual({ videoId: VIDEO, decode: false });
  });
});

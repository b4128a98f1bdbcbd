import { describe, expect, it } from 'vitest';
import { encoderArgs } from './hardware-encoders';
import { cudaDecodeArgs, gpuPinOf } from './gpu-pinning';
import { resolveEncoding } from './ffmpeg-args';

describe('GPU pinning', () => {
  it('a job placed on GPU 1 runs with CUDA_VISIBLE_DEVICES of that GPU (by UUID) in PCI bus order; ffmpeg then addresses it as device 0', () => {
    expect(gpuPinOf({ gpuIndex: 1, gpuUuid: 'GPU-abc' })).toEqual({ env: { CUDA_VISIBLE_DEVICES: 'GPU-abc', CUDA_DEVICE_ORDER: 'PCI_BUS_ID' }, ffmpegDevice: 0 });
    expect(gpuPinOf({ gpuIndex: 3, gpuUuid: null })?.env.CUDA_VISIBLE_DEVICES).toBe('3');
    expect(gpuPinOf({ gpuIndex: null, gpuUuid: null })).toBeNull();
    expect(gpuPinOf({})).toBeNull();
  });

  it('NVENC gets -gpu on the pinned device; unpinned and other encoders are unchanged', () => {
    const pinned = encoderArgs('h264_nvenc', { crf: 23, preset: 'veryfast', gpuDevice: 0 });
    expect(pinned.outputArgs.slice(0, 4)).toEqual(['-c:v', 'h264_nvenc', '-gpu', '0']);
    expect(encoderArgs('h264_nvenc', { crf: 23, preset: 'veryfast' }).outputArgs).not.toContain('-gpu');
    expect(encoderArgs('libx264', { crf: 23, preset: 'veryfast', gpuDevice: 0 }).outputArgs).not.toContain('-gpu');
    expect(resolveEncoding({ encoder: 'h264_nvenc', crf: 20, preset: 'fast', gpuDevice: 0 }).outputArgs).toContain('-gpu');
    expect(cudaDecodeArgs(0)).toEqual(['-hwaccel', 'cuda', '-hwaccel_device', '0']);
  });
});

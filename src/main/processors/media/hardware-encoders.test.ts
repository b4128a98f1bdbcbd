import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  encoderArgs,
  encoderProbeArgs,
  firstMeaningfulLine,
  nvencSessionLimit,
  probeEncoders,
  usesGpu,
} from './hardware-encoders';
import { TEST_FFMPEG } from './testing/clips';

describe('encoderArgs', () => {
  it('libx264: preset, crf, and maxrate/bufsize from the target', () => {
    expect(encoderArgs('libx264', { crf: 23, preset: 'veryfast', targetBitrateKbps: 4000 })).toEqual({
      inputArgs: [],
      videoFilter: 'format=yuv420p',
      outputArgs: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-maxrate', '4000k', '-bufsize', '8000k'],
    });
    expect(encoderArgs('libx264', { crf: 99, preset: 'bogus' }).outputArgs).toEqual(['-c:v', 'libx264', '-preset', 'medium', '-crf', '51']);
  });

  it('nvenc: p-presets and constant quality, capped when a target is given', () => {
    expect(encoderArgs('h264_nvenc', { crf: 24, preset: 'medium' }).outputArgs).toEqual(['-c:v', 'h264_nvenc', '-preset', 'p4', '-rc', 'vbr', '-cq', '24', '-b:v', '0']);
    expect(encoderArgs('h264_nvenc', { crf: 24, preset: 'veryslow', targetBitrateKbps: 3000 }).outputArgs).toEqual([
      '-c:v', 'h264_nvenc', '-preset', 'p7', '-rc', 'vbr', '-cq', '24', '-b:v', '0', '-maxrate', '3000k', '-bufsize', '6000k',
    ]);
  });

  it('qsv and vaapi: quality mode without a target, VBR under the cap with one', () => {
    expect(encoderArgs('h264_qsv', { crf: 25, preset: 'ultrafast' })).toEqual({
      inputArgs: [],
      videoFilter: 'format=nv12',
      outputArgs: ['-c:v', 'h264_qsv', '-preset', 'veryfast', '-global_quality', '25'],
    });
    expect(encoderArgs('h264_qsv', { crf: 25, preset: 'slow', targetBitrateKbps: 2000 }).outputArgs).toEqual([
      '-c:v', 'h264_qsv', '-preset', 'slow', '-b:v', '1500k', '-maxrate', '2000k', '-bufsize', '4000k',
    ]);
    expect(encoderArgs('h264_vaapi', { crf: 25, preset: 'slow' }, '/dev/dri/renderD129')).toEqual({
      inputArgs: ['-vaapi_device', '/dev/dri/renderD129'],
      videoFilter: 'format=nv12,hwupload',
      outputArgs: ['-c:v', 'h264_vaapi', '-rc_mode', 'CQP', '-qp', '25'],
    });
    expect(encoderArgs('h264_vaapi', { crf: 25, preset: 'slow', targetBitrateKbps: 2000 }).outputArgs).toEqual([
      '-c:v', 'h264_vaapi', '-rc_mode', 'VBR', '-b:v', '1500k', '-maxrate', '2000k', '-bufsize', '4000k',
    ]);
  });

  it('builds the one-frame probe, with the VAAPI device and upload', () => {
    expect(encoderProbeArgs('h264_vaapi').join(' ')).toBe(
      '-hide_banner -nostdin -v error -vaapi_device /dev/dri/renderD128 -f lavfi -i color=black:s=256x256:d=0.04 -vf format=nv12,hwupload -frames:v 1 -c:v h264_vaapi -f null -',
    );
  });

  it('GPU use and the NVENC session cap', () => {
    expect(usesGpu('libx264')).toBe(false);
    expect(usesGpu('h264_nvenc') && usesGpu('h264_qsv') && usesGpu('h264_vaapi')).toBe(true);
    expect(nvencSessionLimit()).toBe(5);
    expect(nvencSessionLimit(8)).toBe(8);
    expect(nvencSessionLimit(0)).toBe(5);
    expect(nvencSessionLimit(2.5)).toBe(5);
  });

  it('finds the first meaningful stderr line, without addresses', () => {
    expect(
      firstMeaningfulLine(['', '[h264_nvenc @ 0x5604e5377640] Cannot load libcuda.so.1', 'Error initializing output stream 0:0', 'Conversion failed!']),
    ).toBe('[h264_nvenc] Cannot load libcuda.so.1');
    expect(firstMeaningfulLine(['Conversion failed!'])).toBeNull();
  });
});

describe('probeEncoders (real ffmpeg, this machine)', () => {
  it('finds only libx264 without GPU hardware, with a reason for each hardware encoder', async () => {
    const hasNvidia = existsSync('/dev/nvidia0');
    const hasDri = existsSync('/dev/dri/renderD128');
    const inventory = await probeEncoders({ ffmpegPath: TEST_FFMPEG, timeoutMs: 10_000 });
    expect(inventory.available).toContain('libx264');
    expect(inventory.available.at(-1)).toBe('libx264');
    if (hasNvidia || hasDri) return; // a machine with hardware: only the software part is certain
    expect(inventory.available).toEqual(['libx264']);
    expect(inventory.preferred).toBe('libx264');
    expect(inventory.failed.map((f) => f.encoder)).toEqual(['h264_nvenc', 'h264_qsv', 'h264_vaapi']);
    for (const failure of inventory.failed) {
      expect(failure.reason.length).toBeGreaterThan(5);
      expect(failure.reason).not.toMatch(/^exit code/);
    }
    console.info(inventory.failed.map((f) => `${f.encoder}: ${f.reason}`).join('\n'));
  });
});

/**
 * Full-GPU pipelines, pure: which steps are planned from the per-GPU probes (and which are left out,
 * with why), and the exact argument arrays of a full-GPU transcode and re-encode.
 */
import { describe, expect, it } from 'vitest';
import type { GpuProbeResult } from '../media/gpu-probe';
import { buildReencodeArgs } from '../media/ffmpeg-args';
import { transcodeVariants, variantArgs } from '../transcode/gpu-variants';
import { buildTranscodeArgs, planStreams } from '../transcode/transcode-args';
import { parseStreams, type MediaStreams } from '../transcode/stream-probe';
import { planPipeline, stepEnv } from './gpu-pipeline';

const probe = (index: number, extra: Partial<GpuProbeResult> = {}): GpuProbeResult => ({
  index, uuid: `GPU-${index}`, name: index === 2 ? 'NVIDIA H100' : 'NVIDIA RTX A4000', nvenc: ['h264', 'hevc', 'av1'], nvencFailed: [], nvdecFailure: null, scaleCudaFailure: null, ms: 1, ...extra,
});
const H100 = probe(2, { nvenc: [], nvencFailed: [{ codec: 'h264', reason: 'no NVENC' }, { codec: 'hevc', reason: 'no NVENC' }, { codec: 'av1', reason: 'no NVENC' }] });
const job = (gpuIndex: number | null, params: Record<string, unknown> = {}) => ({ gpuIndex, gpuUuid: gpuIndex === null ? null : `GPU-${gpuIndex}`, params });
const kinds = (p: ReturnType<typeof planPipeline>) => p.steps.map((s) => `${s.kind}${s.gpu?.index !== null && s.gpu ? `@${s.gpu.index}` : ''}`);

describe('planPipeline', () => {
  it('on a probed NVENC card: full GPU → decode on CPU → another GPU → software, in that order', () => {
    const plan = planPipeline({ codec: 'hevc', job: job(0), probes: [probe(0), probe(1)], nvencAtStartup: true, softwareEncoder: 'libx265' });
    expect(kinds(plan)).toEqual(['full_gpu@0', 'cpu_decode@0', 'other_gpu@1', 'software']);
    expect(plan.steps.map((s) => s.label)).toEqual([
      'full GPU (NVDEC + scale_cuda + hevc_nvenc) on GPU 0',
      'decode on CPU + hevc_nvenc on GPU 0',
      'decode on CPU + hevc_nvenc on GPU 1 (moved)',
      'software (libx265)',
    ]);
  });

  it('leaves out what the probe ruled out, and says why', () => {
    const noScale = planPipeline({ codec: 'av1', job: job(0), probes: [probe(0, { scaleCudaFailure: "No such filter: 'scale_cuda'" }), probe(1, { nvenc: ['h264'] })], nvencAtStartup: true, softwareEncoder: 'libsvtav1' });
    expect(kinds(noScale)).toEqual(['cpu_decode@0', 'software']);
    expect(noScale.notes).toEqual(["full GPU not tried on GPU 0: scale_cuda: No such filter: 'scale_cuda'"]);
    const tenBit = planPipeline({ codec: 'h264', job: job(0), probes: [probe(0)], nvencAtStartup: true, fullGpuBlocked: '10-bit source', softwareEncoder: 'libx264' });
    expect(kinds(tenBit)).toEqual(['cpu_decode@0', 'software']);
    expect(tenBit.notes).toEqual(['full GPU not tried: 10-bit source']);
  });

  it('a job that asked for its GPU is not moved', () => {
    const plan = planPipeline({ codec: 'h264', job: job(0, { gpu: 0 }), probes: [probe(0), probe(1)], nvencAtStartup: true, softwareEncoder: 'libx264' });
    expect(kinds(plan)).toEqual(['full_gpu@0', 'cpu_decode@0', 'software']);
    expect(plan.notes).toEqual(['not moved to another GPU: the job asks for GPU 0']);
    const model = planPipeline({ codec: 'h264', job: job(0, { gpuModel: 'A4000' }), probes: [probe(0), H100, probe(1)], nvencAtStartup: true, softwareEncoder: 'libx264' });
    expect(kinds(model)).toEqual(['full_gpu@0', 'cpu_decode@0', 'other_gpu@1', 'software']);
  });

  it('on an NVENC-less card: NVDEC decode + software only when measured faster', () => {
    const faster = { gpuIndex: 2, softwareMs: 900, nvdecMs: 500, decodeOnGpu: true, summary: '' };
    const plan = planPipeline({ codec: 'hevc', job: job(2), probes: [H100], nvencAtStartup: false, decodeChoice: faster, softwareEncoder: 'libx265' });
    expect(kinds(plan)).toEqual(['nvdec_software@2', 'software']);
    expect(plan.notes).toEqual(['hevc_nvenc not used on GPU 2: no NVENC']);
    const slower = planPipeline({ codec: 'hevc', job: job(2), probes: [H100], nvencAtStartup: false, decodeChoice: { ...faster, decodeOnGpu: false }, softwareEncoder: 'libx265' });
    expect(kinds(slower)).toEqual(['software']);
  });

  it('unplaced (no per-GPU inventory): ffmpeg default card, no device pinned', () => {
    const plan = planPipeline({ codec: 'h264', job: job(null), probes: [], nvencAtStartup: true, softwareEncoder: 'libx264' });
    expect(kinds(plan)).toEqual(['full_gpu', 'cpu_decode', 'software']);
    expect(stepEnv(plan.steps[0]!, {})).toEqual({});
  });

  it('a moved step runs pinned to the other GPU', () => {
    const plan = planPipeline({ codec: 'h264', job: job(0), probes: [probe(0), probe(1)], nvencAtStartup: true, softwareEncoder: 'libx264' });
    expect(stepEnv(plan.steps[2]!, { CUDA_VISIBLE_DEVICES: 'GPU-0', CUDA_DEVICE_ORDER: 'PCI_BUS_ID' })).toEqual({ CUDA_VISIBLE_DEVICES: 'GPU-1', CUDA_DEVICE_ORDER: 'PCI_BUS_ID' });
  });
});

function streams(pixFmt = 'yuv420p'): MediaStreams {
  return parseStreams('/lib/videos/a.mkv', {
    format: { duration: '60', size: '6000000', bit_rate: '800000' },
    streams: [
      { index: 0, codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '24000/1001', pix_fmt: pixFmt },
      { index: 1, codec_type: 'audio', codec_name: 'aac', bit_rate: '128000', channels: 2 },
    ],
  } as never);
}

describe('full-GPU argument arrays', () => {
  const s = streams();
  const plan = planStreams(s, { audio: 'copy', keepAllAudio: true, keepSubtitles: true }, 'mkv');
  const base = { input: '/lib/videos/a.mkv', output: '/lib/videos/a.x.partial.mkv', container: 'mkv' as const, quality: 28, preset: 'medium', audioBitrateKbps: 128, streams: s, plan };

  it('transcode: NVDEC into CUDA frames, scale_cuda, NVENC on the pinned device 0', () => {
    expect(buildTranscodeArgs({ ...base, encoder: 'hevc_nvenc', maxHeight: 720, decode: 'cuda_frames', gpuDevice: 0 })).toEqual([
      '-hide_banner', '-nostdin', '-y',
      '-hwaccel', 'cuda', '-hwaccel_device', '0', '-hwaccel_output_format', 'cuda',
      '-i', '/lib/videos/a.mkv',
      '-map', '0:0', '-map', '0:1', '-map_metadata', '0', '-map_chapters', '0',
      '-vf', "scale_cuda=-2:'min(ih,720)'",
      '-c:v', 'hevc_nvenc', '-gpu', '0', '-preset', 'p4', '-rc', 'vbr', '-cq', '28', '-b:v', '0',
      '-fps_mode', 'passthrough', '-c:a:0', 'copy', '-cluster_time_limit', '1000', '-max_muxing_queue_size', '4096', '/lib/videos/a.x.partial.mkv',
    ]);
  });

  it('transcode: no scaling → no filter at all (NVENC takes the CUDA frames); decode on CPU keeps the software tail', () => {
    const full = buildTranscodeArgs({ ...base, encoder: 'h264_nvenc', decode: 'cuda_frames', gpuDevice: 0 });
    expect(full).not.toContain('-vf');
    expect(full.slice(3, 11)).toEqual(['-hwaccel', 'cuda', '-hwaccel_device', '0', '-hwaccel_output_format', 'cuda', '-i', '/lib/videos/a.mkv']);
    const cpu = buildTranscodeArgs({ ...base, encoder: 'h264_nvenc', maxHeight: 720, gpuDevice: 0 });
    expect(cpu).not.toContain('-hwaccel');
    expect(cpu.slice(cpu.indexOf('-vf'), cpu.indexOf('-vf') + 5)).toEqual(['-vf', "scale=-2:'min(ih,720)',format=yuv420p", '-c:v', 'h264_nvenc', '-gpu']);
    const nvdec = buildTranscodeArgs({ ...base, encoder: 'libx265', decode: 'cuda', gpuDevice: 0 });
    expect(nvdec.slice(3, 8)).toEqual(['-hwaccel', 'cuda', '-hwaccel_device', '0', '-i']);
    expect(nvdec).toContain('format=yuv420p');
  });

  it('re-encode: the full-GPU step as one exact array', () => {
    expect(buildReencodeArgs({ input: '/lib/videos/a.mp4', output: '/lib/playback/a.x.partial.mp4', maxHeight: 720, encoding: { encoder: 'h264_nvenc', crf: 23, preset: 'veryfast', gpuDevice: 0, decode: 'cuda_frames' } })).toEqual([
      '-hide_banner', '-nostdin', '-y',
      '-hwaccel', 'cuda', '-hwaccel_device', '0', '-hwaccel_output_format', 'cuda',
      '-i', '/lib/videos/a.mp4', '-map', '0:V:0', '-map', '0:a:0?',
      '-vf', "scale_cuda=-2:'min(ih,720)'",
      '-c:v', 'h264_nvenc', '-gpu', '0', '-preset', 'p2', '-rc', 'vbr', '-cq', '23', '-b:v', '0',
      '-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-max_muxing_queue_size', '1024', '-movflags', '+faststart', '/lib/playback/a.x.partial.mp4',
    ]);
  });

  it('transcode variants: the pipeline steps, then QSV/VAAPI, then software; 10-bit into H.264 skips full GPU', () => {
    const inventory = { gpus: [probe(0), probe(1)], decodeChoice: null };
    const v = transcodeVariants({ codec: 'hevc', order: ['hevc_nvenc', 'hevc_vaapi', 'libx265'], inventory, job: job(0), sourceBitDepth: 8 });
    expect(v.variants.map((x) => `${x.encoder}:${x.step?.kind ?? '-'}`)).toEqual(['hevc_nvenc:full_gpu', 'hevc_nvenc:cpu_decode', 'hevc_nvenc:other_gpu', 'hevc_vaapi:-', 'libx265:software']);
    expect(v.variants.map(variantArgs)).toEqual([{ decode: 'cuda_frames', gpuDevice: 0 }, { gpuDevice: 0 }, { gpuDevice: 0 }, {}, {}]);
    const ten = transcodeVariants({ codec: 'h264', order: ['h264_nvenc', 'libx264'], inventory, job: job(0), sourceBitDepth: 10 });
    expect(ten.variants.map((x) => x.step?.kind)).toEqual(['cpu_decode', 'other_gpu', 'software']);
    const none = transcodeVariants({ codec: 'hevc', order: ['hevc_qsv', 'libx265'], inventory: { gpus: [] }, job: job(null), sourceBitDepth: 8 });
    expect(none.variants).toEqual([{ encoder: 'hevc_qsv' }, { encoder: 'libx265' }]);
  });
});

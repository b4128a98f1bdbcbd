/**
 * The start-up probe per GPU, against a fake ffmpeg that answers per scripted GPU (pinned by
 * CUDA_VISIBLE_DEVICES) and runs the real ffmpeg for software work: each card's NVENC codecs,
 * NVDEC and scale_cuda; an H100-class card's NVENC failure kept with its reason; the merged node
 * inventory; the measured NVDEC-decode choice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideDecode, decodeOnlyGpu } from './gpu-decode-choice';
import { nvdecProbeArgs, nvencProbeArgs, probeGpus } from './gpu-probe';
import { encodeSupportOf, probeNodeEncoders, withGpuProbes } from './node-encoders';
import { TEST_FFMPEG } from './testing/clips';
import { writeFakeGpuFfmpeg, type FakeGpuFfmpeg } from './testing/fake-gpu-ffmpeg';

let dir: string;
let fake: FakeGpuFfmpeg;
const GPUS = [
  { index: 0, uuid: 'GPU-aaaa', name: 'NVIDIA RTX A4000' },
  { index: 1, uuid: 'GPU-bbbb', name: 'NVIDIA H100 80GB HBM3' },
  { index: 2, uuid: 'GPU-cccc', name: 'NVIDIA GeForce GTX 1080' },
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gpu-probe-'));
  fake = writeFakeGpuFfmpeg(
    dir,
    [
      { index: 0, uuid: 'GPU-aaaa' },
      { index: 1, uuid: 'GPU-bbbb', nvenc: [], delayMs: 400 },
      { index: 2, uuid: 'GPU-cccc', nvenc: ['h264', 'hevc'], scaleCuda: false },
    ],
    TEST_FFMPEG,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('probeGpus (fake ffmpeg, three scripted GPUs)', () => {
  it('finds per card which NVENC codecs, NVDEC and scale_cuda work, with the reason for each failure', async () => {
    const results = await probeGpus({ ffmpegPath: fake.path }, GPUS);
    const [a4000, h100, gtx] = results;
    expect(a4000).toMatchObject({ index: 0, nvenc: ['h264', 'hevc', 'av1'], nvencFailed: [], nvdecFailure: null, scaleCudaFailure: null });
    expect(h100!.nvenc).toEqual([]);
    expect(h100!.nvencFailed.map((f) => f.codec)).toEqual(['h264', 'hevc', 'av1']);
    expect(h100!.nvencFailed[0]!.reason).toBe('[h264_nvenc] OpenEncodeSessionEx failed: unsupported device (2): (no details)');
    expect(h100!.nvdecFailure).toBeNull();
    expect(gtx).toMatchObject({ nvenc: ['h264', 'hevc'], nvencFailed: [{ codec: 'av1', reason: expect.stringContaining('OpenEncodeSessionEx failed') }], nvdecFailure: null });
    expect(gtx!.scaleCudaFailure).toBe("[AVFilterGraph] No such filter: 'scale_cuda'");
  });

  it('runs each probe pinned to its card: CUDA_VISIBLE_DEVICES = UUID and device 0 in the argument array', async () => {
    const calls = fake.calls();
    for (const gpu of GPUS) {
      const mine = calls.filter((c) => c.device === gpu.uuid);
      expect(mine.map((c) => c.args)).toEqual(expect.arrayContaining([nvencProbeArgs('h264'), nvencProbeArgs('hevc'), nvencProbeArgs('av1')]));
      expect(mine.some((c) => c.args.join(' ') === nvdecProbeArgs(c.args[c.args.indexOf('-i') + 1]!, false).join(' '))).toBe(true);
    }
    expect(nvencProbeArgs('hevc')).toEqual(['-hide_banner', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'color=black:s=256x256:d=0.04', '-vf', 'format=yuv420p', '-frames:v', '1', '-c:v', 'hevc_nvenc', '-gpu', '0', '-f', 'null', '-']);
    expect(nvdecProbeArgs('/tmp/c.mp4', true)).toEqual(['-hide_banner', '-nostdin', '-v', 'error', '-hwaccel', 'cuda', '-hwaccel_device', '0', '-hwaccel_output_format', 'cuda', '-i', '/tmp/c.mp4', '-vf', 'scale_cuda=128:128', '-f', 'null', '-']);
  });

  it('a card whose NVDEC fails is not asked for scale_cuda, and says why', async () => {
    const d = mkdtempSync(join(tmpdir(), 'gpu-probe-nodec-'));
    try {
      const f = writeFakeGpuFfmpeg(d, [{ index: 0, uuid: 'GPU-x', nvdec: false }], TEST_FFMPEG);
      const [r] = await probeGpus({ ffmpegPath: f.path }, [{ index: 0, uuid: 'GPU-x', name: 'T4' }]);
      expect(r!.nvdecFailure).toBe('[h264] Hardware is lacking required capabilities');
      expect(r!.scaleCudaFailure).toBe('not tried: NVDEC failed');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('no GPUs: nothing is run', async () => {
    const before = fake.calls().length;
    expect(await probeGpus({ ffmpegPath: fake.path }, [])).toEqual([]);
    expect(fake.calls().length).toBe(before);
  });
});

describe('the node inventory', () => {
  it('NVENC counts when any card passed, though ffmpeg default card (the unpinned probe) failed', () => {
    const startup = { available: ['libx264' as const], failed: [{ encoder: 'h264_nvenc' as const, reason: 'unsupported device' }], preferred: 'libx264' as const };
    const probes = [
      { index: 0, uuid: 'GPU-h', name: 'H100', nvenc: [], nvencFailed: [{ codec: 'h264' as const, reason: 'no NVENC' }], nvdecFailure: null, scaleCudaFailure: null, ms: 1 },
      { index: 1, uuid: 'GPU-r', name: 'RTX 4000', nvenc: ['h264' as const], nvencFailed: [], nvdecFailure: null, scaleCudaFailure: null, ms: 1 },
    ];
    const merged = withGpuProbes(startup, probes, null);
    expect(merged.preferred).toBe('h264_nvenc');
    expect(merged.failed).toEqual([]);
    const none = withGpuProbes(startup, [probes[0]!], null);
    expect(none.preferred).toBe('libx264');
    expect(none.failed).toEqual([{ encoder: 'h264_nvenc', reason: 'GPU 0 (H100): no NVENC' }]);
    expect([...encodeSupportOf(merged).entries()]).toEqual([
      [0, { nvencCodecs: [], nvencFailure: 'no NVENC', decodeOnly: false }],
      [1, { nvencCodecs: ['h264'], nvencFailure: null, decodeOnly: false }],
    ]);
  });

  it('measures NVDEC decode + libx264 against all-software once on the NVENC-less card, and keeps both timings', async () => {
    const d = mkdtempSync(join(tmpdir(), 'gpu-probe-h100-'));
    try {
      // the scripted H100 is slow on every GPU run: software must win, measured, not assumed
      const f = writeFakeGpuFfmpeg(d, [{ index: 0, uuid: 'GPU-h100', nvenc: [], delayMs: 800 }], TEST_FFMPEG);
      const inv = await probeNodeEncoders({ ffmpegPath: f.path, gpus: [{ index: 0, uuid: 'GPU-h100', name: 'NVIDIA H100 80GB HBM3' }], benchClip: { size: '320x240', seconds: 1 } });
      expect(inv.preferred).toBe('libx264');
      const choice = inv.decodeChoice!;
      expect(choice).toMatchObject({ gpuIndex: 0, decodeOnGpu: false });
      expect(choice.softwareMs).toBeGreaterThan(0);
      expect(choice.nvdecMs).toBeGreaterThan(choice.softwareMs!);
      expect(choice.summary).toMatch(/^all-software on GPU 0 \(no NVENC\): NVDEC \+ libx264 \d+ ms, all-software \d+ ms \(1 s 320x240 clip\)$/);
      const timed = f.calls().filter((c) => c.args.includes('veryfast'));
      expect(timed).toHaveLength(4);
      expect(timed.filter((c) => c.args.includes('-hwaccel')).every((c) => c.device === 'GPU-h100')).toBe(true);
      expect(encodeSupportOf(inv).get(0)).toEqual({ nvencCodecs: [], nvencFailure: expect.stringContaining('OpenEncodeSessionEx'), decodeOnly: false });
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  }, 60_000);

  it('decides for the GPU when its run was faster, and says so; a failed NVDEC run never wins', () => {
    expect(decideDecode(1, 900, 400)).toMatchObject({ decodeOnGpu: true, summary: 'decode on GPU on GPU 1 (no NVENC): NVDEC + libx264 400 ms, all-software 900 ms (2 s 1920x1080 clip)' });
    expect(decideDecode(1, 900, null, 'no device').decodeOnGpu).toBe(false);
    expect(decodeOnlyGpu([{ index: 3, uuid: null, name: 'A100', nvenc: [], nvencFailed: [], nvdecFailure: null, scaleCudaFailure: null, ms: 0 }])?.index).toBe(3);
  });
});

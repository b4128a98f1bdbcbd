/**
 * The per-GPU start-up probe drives placement, through the real runtime (dispatcher, SQLite store)
 * on a fake 3-GPU node: an H100 (NVDEC, no NVENC), an RTX A4000 (every NVENC codec) and a GTX card
 * whose probe passed H.264 and HEVC but not AV1. Encodes go only where NVENC passed for their
 * codec; the waiting reason names each card's probe failure; the System view shows the probe.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GpuProbeResult } from '../processors/media/gpu-probe';
import { encodeSupportOf } from '../processors/media/node-encoders';
import { StaticGpuInventory, type NvidiaGpu } from '../system/nvidia-gpus';
import { startTestRuntime, waitFor, type TestRuntime } from './testing/test-runtime';

const NAMES = ['NVIDIA H100 80GB HBM3', 'NVIDIA RTX A4000', 'NVIDIA GeForce GTX 1080'];
const card = (index: number): NvidiaGpu => ({
  index, uuid: `GPU-${index}`, name: NAMES[index]!, totalMb: 16_384, usedMb: 300, freeMb: 16_084, encoderSessions: 0,
  encoderUtilizationPercent: 0, decoderUtilizationPercent: 0, driverVersion: '550.54.15', utilizationPercent: 0, temperatureC: 40,
});
const NO_NVENC = '[h264_nvenc] OpenEncodeSessionEx failed: unsupported device (2): (no details)';
const probes: GpuProbeResult[] = [
  { index: 0, uuid: 'GPU-0', name: NAMES[0]!, nvenc: [], nvencFailed: [{ codec: 'h264', reason: NO_NVENC }, { codec: 'hevc', reason: NO_NVENC }, { codec: 'av1', reason: NO_NVENC }], nvdecFailure: null, scaleCudaFailure: null, ms: 1 },
  { index: 1, uuid: 'GPU-1', name: NAMES[1]!, nvenc: ['h264', 'hevc', 'av1'], nvencFailed: [], nvdecFailure: null, scaleCudaFailure: null, ms: 1 },
  { index: 2, uuid: 'GPU-2', name: NAMES[2]!, nvenc: ['h264', 'hevc'], nvencFailed: [{ codec: 'av1', reason: 'av1_nvenc: unsupported' }], nvdecFailure: null, scaleCudaFailure: null, ms: 1 },
];

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

async function start(decodeOnGpu = false) {
  const support = encodeSupportOf({ gpus: probes, decodeChoice: decodeOnGpu ? { gpuIndex: 0, softwareMs: 900, nvdecMs: 500, decodeOnGpu: true, summary: '' } : null });
  return startTestRuntime({
    gpuInventory: new StaticGpuInventory([card(0), card(1), card(2)]),
    gpuEncodeSupport: () => support,
    config: { limits: { cpu: 2, gpu_encode: 8, gpu_ai: 2 } },
  });
}

describe('runtime: placement by the per-GPU probe (fake 3-GPU node)', () => {
  it('H.264 encodes spread over the two NVENC cards and never land on the H100; AV1 goes only to the card whose AV1 probe passed', async () => {
    t = await start();
    const h264 = await Promise.all([0, 1, 2, 3].map(() => t!.runtime.execute('createJob', { type: 'reencode_streaming', vramRequired: 4_000, params: { sleepMs: 300 } })));
    const av1 = await Promise.all([0, 1].map(() => t!.runtime.execute('createJob', { type: 'transcode', vramRequired: 4_000, params: { sleepMs: 300, codec: 'av1' } })));
    await waitFor(async () => (await t!.runtime.execute('getStats', {})).completed === 6, 8000, 'all done');
    const done = await Promise.all([...h264, ...av1].map((j) => t!.runtime.execute('getJob', { id: j.id })));
    expect(done.slice(0, 4).map((j) => j.gpuIndex).sort()).toEqual([1, 1, 2, 2]);
    expect(done.slice(4).map((j) => j.gpuIndex)).toEqual([1, 1]);
  });

  it('an AV1 encode that asks for the GTX card waits, saying its probe failed there; the System view shows each card\'s probe', async () => {
    t = await start();
    const job = await t.runtime.execute('createJob', { type: 'transcode', vramRequired: 4_000, params: { sleepMs: 0, codec: 'av1', gpu: 2 } });
    await waitFor(async () => (await t!.runtime.execute('getJob', { id: job.id })).waitingReason !== null, 3000, 'waits');
    expect((await t.runtime.execute('getJob', { id: job.id })).waitingReason).toBe('GPU 2: av1_nvenc failed its probe on NVIDIA GeForce GTX 1080');
    const h100 = await t.runtime.execute('createJob', { type: 'reencode_streaming', vramRequired: 4_000, params: { sleepMs: 0, gpu: 0 } });
    await waitFor(async () => (await t!.runtime.execute('getJob', { id: h100.id })).waitingReason !== null, 3000, 'waits');
    expect((await t.runtime.execute('getJob', { id: h100.id })).waitingReason).toBe(`GPU 0: NVIDIA H100 80GB HBM3 has no hardware encoder (NVENC): ${NO_NVENC}`);
    const system = await t.runtime.execute('getSystemInfo', {});
    expect(system.gpus.map((g) => [g.index, g.encodeSupported, g.nvencCodecs, g.encodeRefusal])).toEqual([
      [0, false, [], NO_NVENC],
      [1, true, ['h264', 'hevc', 'av1'], null],
      [2, true, ['h264', 'hevc'], null],
    ]);
  });

  it('with NVDEC decode measured faster, the H100 takes encodes (decode there, software encode) only after the NVENC cards', async () => {
    t = await start(true);
    const job = await t.runtime.execute('createJob', { type: 'reencode_streaming', vramRequired: 4_000, params: { sleepMs: 0, gpu: 0 } });
    await waitFor(async () => (await t!.runtime.execute('getJob', { id: job.id })).status === 'completed', 3000, 'done');
    expect((await t.runtime.execute('getJob', { id: job.id })).gpuIndex).toBe(0);
    const free = await t.runtime.execute('createJob', { type: 'reencode_streaming', vramRequired: 4_000, params: { sleepMs: 0 } });
    await waitFor(async () => (await t!.runtime.execute('getJob', { id: free.id })).status === 'completed', 3000, 'done');
    expect((await t.runtime.execute('getJob', { id: free.id })).gpuIndex).toBe(1);
    expect((await t.runtime.execute('getSystemInfo', {})).gpus.map((g) => [g.index, g.encodeSupported, g.decodeOnly ?? false])).toEqual([[0, true, true], [1, true, false], [2, true, false]]);
  });
});

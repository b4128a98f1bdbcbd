/**
 * Per-GPU placement through the real runtime (dispatcher, SQLite store, attempts) on a fake
 * 2-GPU node: jobs started together spread over both GPUs, each job records its GPU, and the GPU
 * pin (CUDA_VISIBLE_DEVICES) reaches the processes its processor starts (through the ffmpeg step,
 * with a fake ffmpeg that writes its environment into its output).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Processor } from '../processors/processor';
import { runFfmpegOutputs } from '../processors/steps/ffmpeg-outputs-step';
import { StaticGpuInventory, type NvidiaGpu } from '../system/nvidia-gpus';
import { startTestRuntime, waitFor, type TestRuntime } from './testing/test-runtime';

const card = (index: number): NvidiaGpu => ({
  index,
  uuid: `GPU-0000000${index}-1111-2222-3333-444444444444`,
  name: 'NVIDIA GeForce RTX 3060',
  totalMb: 12_288,
  usedMb: 300,
  freeMb: 11_988,
  encoderSessions: 0,
  encoderUtilizationPercent: 0,
  decoderUtilizationPercent: 0,
  driverVersion: '550.54.15',
  utilizationPercent: 0,
  temperatureC: 40,
});

const dir = mkdtempSync(join(tmpdir(), 'mjc-gpu-placement-'));
const fakeFfmpeg = join(dir, 'ffmpeg');
writeFileSync(fakeFfmpeg, '#!/bin/sh\nfor last; do :; done\nprintf \'%s|%s\' "$CUDA_VISIBLE_DEVICES" "$CUDA_DEVICE_ORDER" > "$last"\nsleep 0.2\n');
chmodSync(fakeFfmpeg, 0o755);

/** Runs the fake ffmpeg through the real step; the job's output file holds the environment it saw. */
const envProbe: Processor = {
  async run(ctx) {
    await runFfmpegOutputs(ctx, { ffmpegPath: fakeFfmpeg, durationSeconds: null, outputs: [join(dir, `${ctx.job.id}.txt`)], args: (partials) => [partials[0]!], allowEmpty: true });
  },
};

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runtime: per-GPU placement on a fake 2-GPU node', () => {
  it('two 8 GB jobs created together run on different GPUs, record them, and their processes see CUDA_VISIBLE_DEVICES of their GPU', async () => {
    t = await startTestRuntime({ gpuInventory: new StaticGpuInventory([card(0), card(1)]), processor: envProbe, config: { limits: { cpu: 2, gpu_encode: 2, gpu_ai: 2 } } });
    const jobs = await Promise.all([0, 1].map(() => t!.runtime.execute('createJob', { type: 'scene_extract', vramRequired: 8_000 })));
    await waitFor(async () => (await t!.runtime.execute('getStats', {})).completed === 2, 5000, 'both done');
    const done = await Promise.all(jobs.map((j) => t!.runtime.execute('getJob', { id: j.id })));
    expect(done.map((j) => j.gpuIndex).sort()).toEqual([0, 1]);
    for (const job of done) {
      expect(job.gpuUuid).toBe(card(job.gpuIndex!).uuid);
      expect(job.log).toContain(`on GPU ${job.gpuIndex} (8000 MB VRAM reserved)`);
      expect(readFileSync(join(dir, `${job.id}.txt`), 'utf8')).toBe(`${card(job.gpuIndex!).uuid}|PCI_BUS_ID`);
    }
  });

  it('a third job waits, naming both GPUs, while the first two hold them; the System view shows each GPU\'s share', async () => {
    t = await startTestRuntime({ gpuInventory: new StaticGpuInventory([card(0), card(1)]), config: { limits: { cpu: 2, gpu_encode: 3, gpu_ai: 3 } } });
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => t!.runtime.execute('createJob', { type: 'scene_extract', vramRequired: 8_000, params: { sleepMs: 400 } })));
    await waitFor(async () => (await t!.runtime.execute('getJob', { id: c!.id })).waitingReason !== null, 3000, 'third waits');
    const waiting = await t.runtime.execute('getJob', { id: c!.id });
    expect(waiting.waitingReason).toBe('GPU 0: needs 8,000 MB, 3,476 free; GPU 1: needs 8,000 MB, 3,476 free');
    const system = await t.runtime.execute('getSystemInfo', {});
    expect(system.gpus.map((g) => [g.index, g.jobsRunning, g.vramReservedMb, g.nvencSessionCap, g.encodeSupported])).toEqual([
      [0, 1, 8_000, 8, true],
      [1, 1, 8_000, 8, true],
    ]);
    const nodes = await t.runtime.execute('listNodes', {});
    expect(nodes.nodes[0]!.gpus.map((g) => [g.index, g.uuid, g.jobsRunning])).toEqual([
      [0, card(0).uuid, 1],
      [1, card(1).uuid, 1],
    ]);
    await waitFor(async () => (await t!.runtime.execute('getStats', {})).completed === 3, 5000, 'all done');
    expect([a, b].length).toBe(2);
  });

  it('a running attempt moved to GPU 1 (the encode fall-back) goes through the store: its reservation and pin follow it, and a move to a full GPU is refused with the reason', async () => {
    const seen = new Map<string, { moved: unknown; env: unknown; gpuIndex: unknown }>();
    // asks to move to params.move, says what it got, then holds its slot a while
    const mover: Processor = {
      async run(ctx) {
        const p = ctx.job.params as { move: number; holdMs: number };
        const moved = await ctx.moveToGpu!(p.move);
        seen.set(ctx.job.id, { moved, env: ctx.env, gpuIndex: ctx.job.gpuIndex });
        await new Promise((resolve) => setTimeout(resolve, p.holdMs));
      },
    };
    t = await startTestRuntime({ gpuInventory: new StaticGpuInventory([card(0), card(1)]), processor: mover, config: { limits: { cpu: 2, gpu_encode: 3, gpu_ai: 3 } } });
    const a = await t.runtime.execute('createJob', { type: 'scene_extract', vramRequired: 8_000, params: { gpu: 0, move: 1, holdMs: 1_500 } });
    await waitFor(async () => seen.has(a.id), 3000, 'first moved');
    expect(seen.get(a.id)).toEqual({ moved: { moved: true, gpuIndex: 1, gpuUuid: card(1).uuid }, env: { CUDA_VISIBLE_DEVICES: card(1).uuid, CUDA_DEVICE_ORDER: 'PCI_BUS_ID' }, gpuIndex: 1 });
    expect((await t.runtime.execute('getJob', { id: a.id })).gpuIndex).toBe(1);
    // the reservation followed: GPU 1 holds it, GPU 0 is free again
    const system = await t.runtime.execute('getSystemInfo', {});
    expect(system.gpus.map((g) => [g.index, g.jobsRunning, g.vramReservedMb])).toEqual([
      [0, 0, 0],
      [1, 1, 8_000],
    ]);
    // a second 8 GB job, on GPU 0, cannot follow it: GPU 1 has 3,476 MB left
    const b = await t.runtime.execute('createJob', { type: 'scene_extract', vramRequired: 8_000, params: { gpu: 0, move: 1, holdMs: 0 } });
    await waitFor(async () => seen.has(b.id), 3000, 'second refused');
    expect(seen.get(b.id)).toEqual({ moved: { moved: false, reason: 'GPU 1: needs 8,000 MB, 3,476 free' }, env: { CUDA_VISIBLE_DEVICES: card(0).uuid, CUDA_DEVICE_ORDER: 'PCI_BUS_ID' }, gpuIndex: 0 });
    await waitFor(async () => (await t!.runtime.execute('getStats', {})).completed === 2, 5000, 'both done');
  });

  it('with MEDIA_TOTAL_VRAM_MB declared, the node keeps one budget: no GPU is recorded', async () => {
    t = await startTestRuntime({ gpuInventory: new StaticGpuInventory([card(0), card(1)]), config: { declaredVramMb: 16_000 } });
    const job = await t.runtime.execute('createJob', { type: 'scene_extract', vramRequired: 8_000, params: { sleepMs: 0 } });
    await waitFor(async () => (await t!.runtime.execute('getJob', { id: job.id })).status === 'completed', 3000, 'done');
    const done = await t.runtime.execute('getJob', { id: job.id });
    expect(done.gpuIndex).toBeUndefined();
    expect((await t.runtime.execute('getSystemInfo', {})).vramBudgetMb).toBe(16_000);
  });
});

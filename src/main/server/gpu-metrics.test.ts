/**
 * Per-GPU gauges on a fake 2-GPU node: what the jobs placed on each GPU reserve, how many run
 * there, the encoder sessions nvidia-smi reports, and whether each GPU takes jobs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Registry } from 'prom-client';
import { StaticGpuInventory, type NvidiaGpu } from '../system/nvidia-gpus';
import { startTestRuntime, waitFor, type TestRuntime } from '../runtime/testing/test-runtime';
import { createMetrics } from './metrics';

const card = (index: number, o: Partial<NvidiaGpu> = {}): NvidiaGpu => ({
  index,
  uuid: `GPU-${index}`,
  name: 'NVIDIA GeForce RTX 4070',
  totalMb: 12_000,
  usedMb: 0,
  freeMb: 12_000,
  encoderSessions: index === 0 ? 1 : 0,
  encoderUtilizationPercent: 0,
  decoderUtilizationPercent: 0,
  driverVersion: '550.54.15',
  utilizationPercent: 0,
  temperatureC: 40,
  ...o,
});

async function gauge(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)!;
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.gpu), v.value]));
}

let t: TestRuntime | undefined;
let close: (() => void) | undefined;
afterEach(async () => {
  close?.();
  await t?.dispose();
  t = undefined;
});

describe('per-GPU metrics', () => {
  it('reserved bytes, running jobs and encoder sessions per GPU; a GPU whose free VRAM dropped under its reservations reports it takes no jobs', async () => {
    const inventory = new StaticGpuInventory([card(0), card(1)], []); // per-process use known: none of ours uses VRAM yet
    t = await startTestRuntime({ gpuInventory: inventory, config: { vramHeadroomMb: 0, limits: { cpu: 2, gpu_encode: 2, gpu_ai: 3 } } });
    const metrics = createMetrics(t.runtime);
    close = metrics.close;
    const jobs = await Promise.all([9_000, 8_000].map((vramRequired) => t!.runtime.execute('createJob', { type: 'scene_extract', vramRequired, params: { sleepMs: 1_500 } })));
    await waitFor(async () => t!.runtime.runningJobIds().length === 2, 3000, 'both running');
    const placed = await Promise.all(jobs.map((j) => t!.runtime.execute('getJob', { id: j.id })));
    const onGpu = Object.fromEntries(placed.map((j) => [String(j.gpuIndex), j.vramRequired]));
    expect(Object.keys(onGpu).sort()).toEqual(['0', '1']);
    expect(await gauge(metrics.registry, 'media_gpu_vram_reserved_bytes')).toEqual({ '0': onGpu['0']! * 1024 * 1024, '1': onGpu['1']! * 1024 * 1024 });
    expect(await gauge(metrics.registry, 'media_gpu_jobs_running')).toEqual({ '0': 1, '1': 1 });
    expect(await gauge(metrics.registry, 'media_gpu_encoder_sessions')).toEqual({ '0': 1, '1': 0 });
    expect(await gauge(metrics.registry, 'media_gpu_accepting_jobs')).toEqual({ '0': 1, '1': 1 });

    // another program takes 10 GB on GPU 0: the 2 GB free are under what our job there reserved and has not taken yet
    inventory.set([card(0, { usedMb: 10_000, freeMb: 2_000 }), card(1)]);
    await new Promise((resolve) => setTimeout(resolve, 5)); // the last scrape's shared node read is dropped
    expect(await gauge(metrics.registry, 'media_gpu_accepting_jobs')).toEqual({ '0': 0, '1': 1 });
    const system = await t.runtime.execute('getSystemInfo', {});
    expect(system.gpus[0]!.blocked).toBe(`GPU 0: 2,000 MB free is under the ${onGpu['0']!.toLocaleString('en-US')} MB its jobs reserved and have not taken yet (other programs use 10,000 MB); taking no jobs until it frees`);
    const third = await t.runtime.execute('createJob', { type: 'reencode_streaming', params: { sleepMs: 0, gpu: 0 } });
    await waitFor(async () => (await t!.runtime.execute('getJob', { id: third.id })).waitingReason !== null, 3000, 'third waits');
    expect((await t.runtime.execute('getJob', { id: third.id })).waitingReason).toBe(system.gpus[0]!.blocked);
  });
});

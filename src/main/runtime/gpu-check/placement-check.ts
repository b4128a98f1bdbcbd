/**
 * Placement of 8 queued GPU jobs across all GPUs, through a real runtime (dispatcher, SQLite file
 * in a temporary data folder, the real nvidia-smi sampler, the probe's per-GPU encode support):
 * 8 gpu_ai jobs must spread over every GPU with room, none over its budget; 8 H.264 encodes must
 * land only on GPUs whose NVENC probe passed (on an H100/H200-only node they wait, saying why).
 * The jobs run the test processor (a sleep): placement is what is checked, not the work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOB_TYPE_CATALOG } from '../../../shared/domain/job-types';
import type { EncoderInventory } from '../../processors/media/hardware-encoders';
import { encodeSupportOf } from '../../processors/media/node-encoders';
import { startTestRuntime, waitFor } from '../testing/test-runtime';
import { NvidiaGpuSampler } from '../../system/nvidia-gpus';
import type { CheckItem } from './report';

const JOBS = 8;

export async function checkPlacement(nvidiaSmi: string, inventory: EncoderInventory): Promise<Omit<CheckItem, 'name' | 'what' | 'ms'>> {
  const sampler = new NvidiaGpuSampler(1000, nvidiaSmi);
  await sampler.start();
  const gpuCount = sampler.gpus().length;
  if (gpuCount === 0) return { status: 'not_tested', detail: 'nvidia-smi reported no GPU' };
  const dir = mkdtempSync(join(tmpdir(), 'gpu-check-placement-'));
  const support = encodeSupportOf(inventory);
  const t = await startTestRuntime({ dir, gpuInventory: sampler, gpuEncodeSupport: () => support, config: { limits: { cpu: 2, gpu_encode: JOBS, gpu_ai: JOBS } } });
  try {
    // each type's default VRAM need (tag_generation 6,000 MB, reencode_streaming 4,000 MB)
    const placeAll = async (type: 'tag_generation' | 'reencode_streaming') => {
      const created = await Promise.all(Array.from({ length: JOBS }, () => t.runtime.execute('createJob', { type, params: { sleepMs: 2500 } })));
      // every job started or waiting with a reason
      await waitFor(async () => {
        const jobs = await Promise.all(created.map((c) => t.runtime.execute('getJob', { id: c.id })));
        return jobs.every((j) => j.gpuIndex !== undefined && j.gpuIndex !== null ? true : j.waitingReason !== null) ? jobs : undefined;
      }, 20_000, `${type} jobs placed or waiting`);
      const system = await t.runtime.execute('getSystemInfo', {});
      const jobs = await Promise.all(created.map((c) => t.runtime.execute('getJob', { id: c.id })));
      await Promise.all(created.map((c) => t.runtime.execute('cancelJob', { id: c.id }).catch(() => undefined)));
      return { jobs: jobs.map((j) => ({ id: j.id, gpuIndex: j.gpuIndex ?? null, waitingReason: j.waitingReason })), gpus: system.gpus };
    };
    const ai = await placeAll('tag_generation');
    await waitFor(async () => (await t.runtime.execute('getStats', {})).running === 0, 20_000, 'the gpu_ai jobs to end');
    const enc = await placeAll('reencode_streaming');
    const problems: string[] = [];
    const perGpu = (js: typeof ai.jobs) => Object.fromEntries(sampler.gpus().map((g) => [g.index, js.filter((j) => j.gpuIndex === g.index).length]));
    const aiCounts = perGpu(ai.jobs);
    const withRoom = ai.gpus.filter((g) => (g.vramBudgetMb ?? 0) >= JOB_TYPE_CATALOG.tag_generation.defaultVramMb && !g.blocked);
    for (const g of withRoom) if (aiCounts[g.index] === 0) problems.push(`GPU ${g.index} had room but got none of the ${JOBS} gpu_ai jobs`);
    for (const g of [...ai.gpus, ...enc.gpus]) if ((g.vramReservedMb ?? 0) > (g.vramBudgetMb ?? Infinity)) problems.push(`GPU ${g.index}: ${g.vramReservedMb} MB reserved over its ${g.vramBudgetMb} MB budget`);
    for (const j of enc.jobs) if (j.gpuIndex !== null && support.get(j.gpuIndex) && !support.get(j.gpuIndex)!.nvencCodecs.includes('h264') && !support.get(j.gpuIndex)!.decodeOnly) problems.push(`an H.264 encode landed on GPU ${j.gpuIndex}, whose NVENC probe failed`);
    const encCounts = perGpu(enc.jobs);
    const waitingEnc = enc.jobs.filter((j) => j.gpuIndex === null);
    return {
      status: problems.length === 0 ? 'passed' : 'failed',
      detail: `${problems.length ? `${problems.join('; ')}; ` : ''}gpu_ai jobs per GPU ${JSON.stringify(aiCounts)}; H.264 encodes per GPU ${JSON.stringify(encCounts)}${waitingEnc.length ? `, ${waitingEnc.length} waiting: ${waitingEnc[0]!.waitingReason}` : ''}`,
      data: { ai, encodes: enc },
    };
  } finally {
    await t.close();
    sampler.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Our VRAM accounting against nvidia-smi while real GPU work runs: an ffmpeg of ours decodes and
 * scales on the card in a loop (NVDEC into CUDA frames, scale_cuda) for a few seconds, registered
 * as our process the way an attempt's tools are; then the scheduler's view of that GPU
 * (runtime/gpu-slots.ts, fed by the real nvidia-smi sampler) must count its memory as ours, not
 * other programs', and nvidia-smi's used memory must have grown by about what it reports for it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchClipArgs, type BenchClip } from '../../processors/media/gpu-decode-choice';
import { pinnedEnv, type GpuProbeResult } from '../../processors/media/gpu-probe';
import { runProcess, startProcess } from '../../processors/media/process-runner';
import { GpuSlots } from '../gpu-slots';
import { NvidiaGpuSampler } from '../../system/nvidia-gpus';
import type { CheckItem } from './report';

const RESERVED_MB = 2_000;
const HEADROOM_MB = 512;
/** nvidia-smi's used memory also moves with the driver's own allocations. */
const TOLERANCE_MB = 256;

export async function checkVram(ffmpegPath: string, nvidiaSmi: string, probes: readonly GpuProbeResult[], clipSpec: BenchClip = { size: '1920x1080', seconds: 2 }): Promise<Omit<CheckItem, 'name' | 'what' | 'ms'>> {
  const gpu = probes.find((p) => p.nvdecFailure === null && p.scaleCudaFailure === null);
  if (!gpu) return { status: probes.length === 0 ? 'not_tested' : 'failed', detail: probes.length === 0 ? 'no GPU probed' : 'no GPU where NVDEC and scale_cuda work: nothing to load it with' };
  const sampler = new NvidiaGpuSampler(1000, nvidiaSmi);
  const dir = await mkdtemp(join(tmpdir(), 'gpu-check-vram-'));
  try {
    const clip = join(dir, 'clip.mp4');
    await runProcess({ command: ffmpegPath, args: benchClipArgs(clip, clipSpec), signal: AbortSignal.timeout(60_000) });
    await sampler.sampleOnce();
    const before = sampler.gpus().find((g) => g.index === gpu.index);
    const slots = new GpuSlots(sampler, { nvencSessions: null });
    const work = await startProcess({
      command: ffmpegPath,
      args: ['-hide_banner', '-nostdin', '-v', 'error', '-stream_loop', '-1', '-hwaccel', 'cuda', '-hwaccel_device', '0', '-hwaccel_output_format', 'cuda', '-i', clip, '-vf', 'scale_cuda=3840:2160', '-t', '8', '-f', 'null', '-'],
      env: { ...process.env, ...pinnedEnv(gpu) },
      signal: AbortSignal.timeout(30_000),
    });
    slots.processStarted(work.pid);
    slots.setUsage({ [gpu.index]: { reservedMb: RESERVED_MB, jobs: 1, encodes: 0 } });
    await new Promise((r) => setTimeout(r, 3000));
    const known = await sampler.sampleOnce();
    const during = sampler.gpus().find((g) => g.index === gpu.index);
    const ours = sampler.processes().filter((p) => p.pid === work.pid);
    const view = slots.views(HEADROOM_MB).find((v) => v.index === gpu.index);
    work.cancel();
    const ended = await work.result;
    slots.processEnded(work.pid);
    if (!known || !during || !before || !view) return { status: 'failed', detail: 'nvidia-smi stopped answering during the run' };
    const ourMb = ours.reduce((s, p) => s + p.usedMb, 0);
    const data = { gpu: gpu.index, pid: work.pid, beforeUsedMb: before.usedMb, duringUsedMb: during.usedMb, ourProcessMb: ourMb, processesKnown: sampler.processesKnown, view, exit: { ok: ended.ok, cancelled: ended.cancelled } };
    const problems: string[] = [];
    if (!sampler.processesKnown) problems.push('nvidia-smi --query-compute-apps did not answer: other programs\' use can only be estimated');
    if (ourMb <= 0) problems.push(`our ffmpeg (pid ${work.pid}) is not among nvidia-smi's compute apps (PID namespace?)`);
    const expectedOthers = Math.max(0, during.usedMb - ourMb);
    if (sampler.processesKnown && view.othersMb !== expectedOthers) problems.push(`scheduler counts ${view.othersMb} MB as other programs', nvidia-smi says ${expectedOthers} MB`);
    const growth = during.usedMb - before.usedMb;
    if (ourMb > 0 && Math.abs(growth - ourMb) > TOLERANCE_MB) problems.push(`used memory grew ${growth} MB while our process holds ${ourMb} MB`);
    return {
      status: problems.length === 0 ? 'passed' : 'failed',
      detail: `${problems.length ? `${problems.join('; ')}; ` : ''}GPU ${gpu.index}: used ${before.usedMb} → ${during.usedMb} MB while our ffmpeg held ${ourMb} MB; scheduler: other programs ${view.othersMb} MB, budget ${view.budgetMb} MB, ${RESERVED_MB} MB reserved${view.blocked ? `, blocked: ${view.blocked}` : ''}`,
      data,
    };
  } finally {
    sampler.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

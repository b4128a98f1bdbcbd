/**
 * The per-GPU probe as the runtime runs it at start-up (processors/media/node-encoders.ts), its
 * results compared with what the card's class predicts (core/gpu-classes.ts: H100/H200 have no
 * NVENC, so their NVENC probe is EXPECTED to fail, with a reason); then a timed full-GPU run on
 * each card (NVDEC into CUDA frames, scale_cuda, and NVENC when the card has it) on a lavfi clip.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nvencProfile } from '../../core/gpu-classes';
import { buildReencodeArgs } from '../../processors/media/ffmpeg-args';
import { benchClipArgs, type BenchClip } from '../../processors/media/gpu-decode-choice';
import { pinnedEnv, type GpuProbeResult } from '../../processors/media/gpu-probe';
import type { EncoderInventory } from '../../processors/media/hardware-encoders';
import { probeNodeEncoders } from '../../processors/media/node-encoders';
import { runProcess } from '../../processors/media/process-runner';
import type { NvidiaGpu } from '../../system/nvidia-gpus';
import type { CheckItem } from './report';

type ItemResult = Omit<CheckItem, 'name' | 'what' | 'ms'>;

export async function checkProbes(ffmpegPath: string, gpus: readonly NvidiaGpu[], clip?: BenchClip): Promise<{ item: ItemResult; inventory: EncoderInventory }> {
  const inventory = await probeNodeEncoders({ ffmpegPath, gpus: gpus.map((g) => ({ index: g.index, uuid: g.uuid, name: g.name })), ...(clip ? { benchClip: clip } : {}) });
  const probes = inventory.gpus ?? [];
  const surprises: string[] = [];
  const lines = probes.map((p) => {
    const expected = nvencProfile(p.name).encodeSupported;
    const has = p.nvenc.length > 0;
    if (expected !== has) surprises.push(`GPU ${p.index} (${p.name}): its class says NVENC ${expected ? 'yes' : 'no'}, the probe found ${has ? p.nvenc.join('/') : `none (${p.nvencFailed[0]?.reason ?? '?'})`}`);
    const nvenc = has ? `NVENC ${p.nvenc.join('/')}` : `no NVENC${expected ? '' : ' (expected for this class)'}: ${p.nvencFailed[0]?.reason ?? '?'}`;
    return `GPU ${p.index} ${p.name}: ${nvenc}; NVDEC ${p.nvdecFailure ?? 'ok'}; scale_cuda ${p.scaleCudaFailure ?? 'ok'} (${p.ms} ms)`;
  });
  return {
    inventory,
    item: {
      status: surprises.length === 0 ? 'passed' : 'failed',
      detail: [...surprises, ...lines].join('; '),
      data: { probes, startup: { available: inventory.available, failed: inventory.failed } },
    },
  };
}

export function decodeChoiceItem(inventory: EncoderInventory): ItemResult | null {
  const c = inventory.decodeChoice;
  if (!c) return null;
  return { status: c.softwareMs === null && c.nvdecMs === null ? 'failed' : 'passed', detail: c.summary, data: c };
}

/** A timed run on each card whose NVDEC and scale_cuda passed: full GPU when it has NVENC, else decode + scale_cuda to null. */
export async function checkFullGpu(ffmpegPath: string, probes: readonly GpuProbeResult[], clipSpec: BenchClip = { size: '1920x1080', seconds: 5 }): Promise<ItemResult> {
  const usable = probes.filter((p) => p.nvdecFailure === null && p.scaleCudaFailure === null);
  if (usable.length === 0) return { status: probes.length === 0 ? 'not_tested' : 'failed', detail: probes.length === 0 ? 'no GPU probed' : 'NVDEC or scale_cuda failed on every GPU (see the probe item)' };
  const dir = await mkdtemp(join(tmpdir(), 'gpu-check-'));
  try {
    const clip = join(dir, 'clip.mp4');
    const made = await runProcess({ command: ffmpegPath, args: benchClipArgs(clip, clipSpec), signal: AbortSignal.timeout(60_000) });
    if (!made.ok) return { status: 'failed', detail: `could not make the ${clipSpec.seconds} s ${clipSpec.size} test clip: ${made.stderrTail.at(-1) ?? made.exitCode}` };
    const frames = clipSpec.seconds * 30;
    const runs = [];
    for (const p of usable) {
      const nvenc = p.nvenc.includes('h264');
      const output = join(dir, `out-${p.index}.partial.mp4`);
      const args = nvenc
        ? buildReencodeArgs({ input: clip, output, maxHeight: 720, encoding: { encoder: 'h264_nvenc', crf: 23, preset: 'veryfast', gpuDevice: 0, decode: 'cuda_frames' } })
        : // the same scale_cuda expression the pipelines use (-2: keep the aspect ratio, even width)
          ['-hide_banner', '-nostdin', '-v', 'error', '-hwaccel', 'cuda', '-hwaccel_device', '0', '-hwaccel_output_format', 'cuda', '-i', clip, '-vf', "scale_cuda=-2:'min(ih,720)'", '-f', 'null', '-'];
      const started = performance.now();
      const r = await runProcess({ command: ffmpegPath, args, env: { ...process.env, ...pinnedEnv(p) }, signal: AbortSignal.timeout(60_000), tailLines: 10 });
      const ms = Math.round(performance.now() - started);
      runs.push({ gpu: p.index, kind: nvenc ? 'full GPU (NVDEC + scale_cuda + h264_nvenc)' : 'NVDEC + scale_cuda (no NVENC)', ok: r.ok, ms, fps: r.ok ? Math.round((frames / ms) * 1000) : null, args, error: r.ok ? null : (r.stderrTail.at(-1) ?? `exit ${r.exitCode}`) });
    }
    const failed = runs.filter((r) => !r.ok);
    return {
      status: failed.length === 0 ? 'passed' : 'failed',
      detail: runs.map((r) => `GPU ${r.gpu} ${r.kind}: ${r.ok ? `${r.ms} ms for ${frames} frames of ${clipSpec.size} (${r.fps} fps)` : `FAILED: ${r.error}`}`).join('; '),
      data: runs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

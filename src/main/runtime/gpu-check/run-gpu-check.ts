/**
 * `npm run gpu-check` (#18 item 5): verifies on the machine it runs on, with only what the project
 * installs plus an NVIDIA driver, what the GPU code assumes — and says plainly, item by item, what
 * it could NOT test and why (no nvidia-smi, no ffmpeg, no GPU where NVDEC works …). A machine
 * without a GPU gets a report of not-tested items: that is a valid outcome, not an error.
 *
 * Items, in order: telemetry (nvidia-smi vs our parser) → per-GPU probe (NVENC per codec, NVDEC,
 * scale_cuda; NVENC expected to fail on H100/H200) → NVDEC-decode choice (NVENC-less cards) →
 * timed full-GPU run → VRAM accounting under real GPU work → placement of 8 queued jobs. Each has
 * its own timeouts; the whole stays well under 5 minutes.
 */
import { arch, cpus, hostname, platform } from 'node:os';
import { discoverMediaTools, type MediaTools } from '../../processors/media/tool-discovery';
import type { BenchClip } from '../../processors/media/gpu-decode-choice';
import type { EncoderInventory } from '../../processors/media/hardware-encoders';
import { checkPlacement } from './placement-check';
import { checkFullGpu, checkProbes, decodeChoiceItem } from './probe-checks';
import { notTested, summarize, timedItem, type CheckItem, type GpuCheckReport } from './report';
import { checkTelemetry } from './telemetry-check';
import { checkVram } from './vram-check';

export interface GpuCheckOptions {
  /** Default `nvidia-smi` on PATH. */
  readonly nvidiaSmi?: string;
  /** Told each item as it ends (the CLI prints them). */
  readonly onItem?: (item: CheckItem) => void;
  /** Default: the ffmpeg the app would find (tool-discovery.ts). */
  readonly ffmpegPath?: string;
  /** The lavfi clip the timed runs use (default 1080p; tests pass a small one). */
  readonly clip?: BenchClip;
}

const WHAT = {
  telemetry: 'nvidia-smi telemetry read by our parser, against nvidia-smi\'s own CSV and -L',
  probe: 'the start-up probe per GPU: NVENC per codec (expected to fail with a reason on H100/H200), NVDEC, scale_cuda',
  decode_choice: 'on a card with NVDEC but no NVENC: NVDEC decode + libx264 against all-software, measured',
  full_gpu: 'a timed run per GPU with frames kept on the card: NVDEC → scale_cuda (→ h264_nvenc where there is NVENC)',
  vram_accounting: 'our VRAM accounting (scheduler view) against nvidia-smi while our ffmpeg loads the GPU',
  placement: '8 queued gpu_ai jobs (tag_generation) and 8 H.264 encodes (reencode_streaming) placed by a real runtime across all GPUs',
} as const;

export async function runGpuCheck(options: GpuCheckOptions = {}): Promise<GpuCheckReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const nvidiaSmi = options.nvidiaSmi ?? 'nvidia-smi';
  const items: CheckItem[] = [];
  const add = (item: CheckItem) => {
    items.push(item);
    options.onItem?.(item);
  };

  let tools: MediaTools | null = null;
  let toolsError: string | null = null;
  try {
    tools = await discoverMediaTools();
    if (options.ffmpegPath) tools = { ...tools, ffmpeg: { ...tools.ffmpeg, path: options.ffmpegPath } };
  } catch (error) {
    toolsError = error instanceof Error ? error.message : String(error);
  }
  let telemetry: Awaited<ReturnType<typeof checkTelemetry>> | null = null;
  add(await timedItem('telemetry', WHAT.telemetry, async () => (telemetry = await checkTelemetry(nvidiaSmi)).item));
  const gpus = telemetry!.gpus;
  const noGpu = !telemetry!.available ? telemetry!.item.detail : null;
  const noTools = tools === null ? `ffmpeg was not found (${toolsError})` : null;
  const blocker = noGpu ?? noTools;

  let inventory: EncoderInventory | null = null;
  if (blocker) add(notTested('probe', WHAT.probe, blocker));
  else add(await timedItem('probe', WHAT.probe, async () => {
    const r = await checkProbes(tools!.ffmpeg.path, gpus, options.clip);
    inventory = r.inventory;
    return r.item;
  }));
  const inv = inventory as EncoderInventory | null;
  const probes = inv?.gpus ?? [];
  const choice = inv ? decodeChoiceItem(inv) : null;
  if (choice) add({ name: 'decode_choice', what: WHAT.decode_choice, ...choice, ms: 0 });
  else add(notTested('decode_choice', WHAT.decode_choice, blocker ?? 'every GPU here has NVENC (or none has a working NVDEC): nothing to choose'));
  const afterProbe = blocker ?? (probes.length === 0 ? 'the probe found no GPU' : null);
  if (afterProbe) {
    add(notTested('full_gpu', WHAT.full_gpu, afterProbe));
    add(notTested('vram_accounting', WHAT.vram_accounting, afterProbe));
  } else {
    add(await timedItem('full_gpu', WHAT.full_gpu, () => checkFullGpu(tools!.ffmpeg.path, probes, options.clip)));
    add(await timedItem('vram_accounting', WHAT.vram_accounting, () => checkVram(tools!.ffmpeg.path, nvidiaSmi, probes, options.clip)));
  }
  if (noGpu) add(notTested('placement', WHAT.placement, noGpu));
  else add(await timedItem('placement', WHAT.placement, () => checkPlacement(nvidiaSmi, inv ?? { available: [], failed: [], preferred: null })));

  const { notTested: notTestedLines, findings } = summarize(items);
  return {
    tool: 'gpu-check',
    host: hostname(),
    startedAt,
    totalMs: Math.round(performance.now() - started),
    machine: { platform: platform(), arch: arch(), cpus: cpus().length, node: process.version },
    driverVersion: gpus[0]?.driverVersion ?? null,
    ffmpeg: tools ? { path: tools.ffmpeg.path, version: tools.ffmpeg.version } : null,
    gpuCount: gpus.length,
    items,
    notTested: notTestedLines,
    findings,
  };
}

/**
 * The transcode's encode variants, best first, with NVENC expanded into the steps of the full-GPU
 * pipeline (encode/gpu-pipeline.ts): full GPU → decode on CPU + NVENC → NVENC on another GPU →
 * the other hardware families the start-up probe passed (QSV, VAAPI) → software. On a card without
 * NVENC whose NVDEC decode was measured faster than all-software, the software encode decodes on
 * the GPU first. Pure.
 */
import type { EncoderInventory } from '../media/hardware-encoders';
import type { JobRecord } from '../../core/ports';
import { planPipeline, stepDevice, type PipelinePlan, type PipelineStep } from '../encode/gpu-pipeline';
import type { GpuProbeResult } from '../media/gpu-probe';
import type { EncodeVariant } from './encode-step';
import { familyOf, SOFTWARE_ENCODER, type TranscodeEncoderId } from './codec-encoders';
import type { TranscodeCodec } from './transcode-settings';

export interface VariantsInput {
  readonly codec: TranscodeCodec;
  /** The encoders that passed their probes, best first (transcode-processor's usableEncoders). */
  readonly order: readonly TranscodeEncoderId[];
  readonly inventory: Pick<EncoderInventory, 'gpus' | 'decodeChoice'>;
  readonly job: Pick<JobRecord, 'gpuIndex' | 'gpuUuid' | 'params'>;
  /** The source's bit depth: CUDA frames of a 10-bit source cannot go to H.264 NVENC. */
  readonly sourceBitDepth: number;
}

export function transcodeVariants(input: VariantsInput): { variants: EncodeVariant[]; plan: PipelinePlan | null } {
  const { codec, order, inventory, job } = input;
  const nvenc = `${codec}_nvenc` as TranscodeEncoderId;
  const software = SOFTWARE_ENCODER[codec];
  const probes = inventory.gpus ?? [];
  const placed = job.gpuIndex !== null && job.gpuIndex !== undefined;
  const usesNvenc = order.includes(nvenc) || probes.some((p) => p.nvenc.includes(codec));
  if (!usesNvenc && !(placed && inventory.decodeChoice?.decodeOnGpu)) return { variants: order.map((encoder) => ({ encoder })), plan: null };
  const plan = planPipeline({
    codec,
    job,
    probes,
    nvencAtStartup: order.includes(nvenc),
    decodeChoice: inventory.decodeChoice ?? null,
    fullGpuBlocked: input.sourceBitDepth > 8 && codec === 'h264' ? `the ${input.sourceBitDepth}-bit source cannot reach h264_nvenc as CUDA frames (H.264 NVENC is 8-bit)` : null,
    softwareEncoder: software,
  });
  const otherHardware = order.filter((e) => familyOf(e) !== 'nvenc' && familyOf(e) !== 'software');
  const variants = plan.steps.flatMap((step): EncodeVariant[] => {
    if (step.kind === 'software') return [...otherHardware.map((encoder) => ({ encoder })), { encoder: software, step }];
    return [{ encoder: step.kind === 'nvdec_software' ? software : nvenc, step }];
  });
  return { variants, plan };
}

/** The decode and device arguments of a variant, for buildTranscodeArgs. Pure. */
export function variantArgs(v: EncodeVariant): { decode?: 'cuda' | 'cuda_frames'; gpuDevice?: number } {
  if (!v.step) return {};
  const device = stepDevice(v.step);
  const gpu = device === undefined ? {} : { gpuDevice: device };
  if (v.step.kind === 'full_gpu') return { decode: 'cuda_frames', ...gpu };
  if (v.step.kind === 'nvdec_software') return { decode: 'cuda', ...gpu };
  if (v.step.kind === 'software') return {};
  return gpu;
}

/**
 * The ledger's `gpu` for an encode: the GPU its SUCCESSFUL step ran on ("NVIDIA RTX A4000 (GPU 1)",
 * by the per-GPU probe's name of that index), null for a software encode (an NVDEC-decode step
 * encodes in software too). An NVENC step that was not pinned runs on ffmpeg's default device,
 * named by `defaultGpuName`; QSV/VAAPI encodes are named by their family. Pure.
 */
export function ledgerGpu(encoder: TranscodeEncoderId, step: PipelineStep | undefined, probes: readonly Pick<GpuProbeResult, 'index' | 'name'>[], defaultGpuName: string | null): string | null {
  const family = familyOf(encoder);
  if (family === 'software') return null;
  const index = step?.gpu?.index;
  if (index !== undefined && index !== null) {
    const name = probes.find((p) => p.index === index)?.name;
    return name ? `${name} (GPU ${index})` : `GPU ${index}`;
  }
  return family === 'nvenc' ? (defaultGpuName ?? family) : family;
}

/**
 * Pinning an attempt to the GPU the scheduler placed its job on (core/gpu-placement.ts). Pure.
 *
 * The attempt's tools run with CUDA_VISIBLE_DEVICES set to the GPU's UUID (its index when the UUID
 * is unknown) and CUDA_DEVICE_ORDER=PCI_BUS_ID (so an index means nvidia-smi's index, not CUDA's
 * fastest-first order). Inside such a process the chosen GPU is the ONLY visible CUDA device, so
 * ffmpeg addresses it as device 0 (`-gpu 0` for NVENC, `-hwaccel_device 0` for CUDA decoding):
 * passing nvidia-smi's index N there would name a device the process cannot see.
 */
import type { JobRecord } from '../../core/ports';

export interface GpuPin {
  /** Variables the attempt's processes run with. */
  readonly env: Readonly<Record<string, string>>;
  /** The pinned GPU as the pinned process numbers it (always 0). */
  readonly ffmpegDevice: number;
}

export function gpuPinOf(job: Pick<JobRecord, 'gpuIndex' | 'gpuUuid'>): GpuPin | null {
  if (job.gpuIndex === null || job.gpuIndex === undefined) return null;
  return { env: { CUDA_VISIBLE_DEVICES: job.gpuUuid ?? String(job.gpuIndex), CUDA_DEVICE_ORDER: 'PCI_BUS_ID' }, ffmpegDevice: 0 };
}

/** ffmpeg options that put NVENC (`-gpu`) on the pinned device; [] when not pinned. */
export function nvencDeviceArgs(device: number | undefined): string[] {
  return device === undefined ? [] : ['-gpu', String(device)];
}

/**
 * ffmpeg input options that decode with NVDEC (CUDA) on the pinned device (#18 item 3). With
 * `framesOnGpu` the decoded frames stay in GPU memory (`-hwaccel_output_format cuda`): the filters
 * must then be CUDA ones (scale_cuda) and the encoder NVENC; without it ffmpeg copies each frame
 * back to system memory for software filters and encoders.
 */
export function cudaDecodeArgs(device: number | undefined, framesOnGpu = false): string[] {
  return ['-hwaccel', 'cuda', ...(device === undefined ? [] : ['-hwaccel_device', String(device)]), ...(framesOnGpu ? ['-hwaccel_output_format', 'cuda'] : [])];
}

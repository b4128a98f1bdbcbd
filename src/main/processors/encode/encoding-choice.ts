/**
 * Encodes with the best working encoder (the hardware one the start-up probe found), and falls
 * back to libx264 within the same attempt when the hardware encode fails at run time (driver
 * trouble, session limit, out of GPU memory), saying why in the log. Input problems are not
 * retried in software: they would fail the same way.
 */
import type { VideoEncoding } from '../media/ffmpeg-args';
import type { VideoEncoderId } from '../media/hardware-encoders';
import { gpuPinOf } from '../media/gpu-pinning';
import { JobError, type JobContext } from '../processor';
import { OUTPUT_PROBLEM } from '../steps/output-failure';

export interface Quality {
  readonly crf: number;
  readonly preset: string;
  readonly targetBitrateKbps?: number;
}

export async function encodeWithFallback<T>(ctx: JobContext, preferred: VideoEncoderId | null, quality: Quality, encode: (encoding: VideoEncoding) => Promise<T>): Promise<T> {
  const first: VideoEncoderId = preferred ?? 'libx264';
  ctx.log(`Encoder: ${first}${first === 'libx264' ? ' (software)' : ' (hardware)'}`);
  try {
    // on a GPU the scheduler placed the job on, NVENC runs on the pinned device
    const pin = first === 'h264_nvenc' ? gpuPinOf(ctx.job) : null;
    return await encode({ encoder: first, ...quality, ...(pin ? { gpuDevice: pin.ffmpegDevice } : {}) });
  } catch (error) {
    // a missing or broken input fails the same way in software; anything else may be the hardware's fault
    // so does an output that cannot be written or published (a full disk, a bad path, a lost fence)
    const inputProblem = error instanceof JobError && (/^(Input file is (missing|corrupt)|Permission denied)/.test(error.message) || OUTPUT_PROBLEM.test(error.message));
    if (first === 'libx264' || ctx.signal.aborted || inputProblem) throw error;
    ctx.log(`Hardware encoder ${first} failed (${error instanceof Error ? error.message : String(error)}); falling back to software encoding with libx264`);
    return encode({ encoder: 'libx264', ...quality });
  }
}

/**
 * What a node says about each of its GPUs beyond name and memory: the per-GPU inventory and
 * placement state (#18), on nodes with nvidia-smi and absent elsewhere. One shape, shared by the
 * node records of the fleet view and the System page.
 */
import { z } from 'zod';

export const gpuInventoryFields = {
  uuid: z.string().nullable().optional(),
  freeMb: z.number().nullable().optional(),
  driverVersion: z.string().nullable().optional(),
  encoderUtilizationPercent: z.number().nullable().optional(),
  decoderUtilizationPercent: z.number().nullable().optional(),
  encodeSupported: z.boolean().optional(),
  /** NVENC sessions allowed (null: no cap). */
  nvencSessionCap: z.number().int().nullable().optional(),
  encoderSessions: z.number().int().nullable().optional(),
  vramReservedMb: z.number().optional(),
  /** VRAM other programs hold on it (what the scheduler keeps out of its budget). */
  vramOthersMb: z.number().optional(),
  jobsRunning: z.number().int().optional(),
  vramBudgetMb: z.number().optional(),
  /** Codecs (h264, hevc, av1) whose NVENC passed the start-up probe on this GPU; absent: not probed. */
  nvencCodecs: z.array(z.string()).optional(),
  /** Why its NVENC probe failed (a card without NVENC: H100, H200 …). */
  encodeRefusal: z.string().nullable().optional(),
  /** No NVENC, but encodes decode here (NVDEC) and encode in software: measured faster at start-up. */
  decodeOnly: z.boolean().optional(),
  /** Why it takes no new jobs, when it takes none. */
  blocked: z.string().nullable().optional(),
};

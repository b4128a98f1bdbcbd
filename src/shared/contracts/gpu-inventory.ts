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
  jobsRunning: z.number().int().optional(),
  vramBudgetMb: z.number().optional(),
  /** Why it takes no new jobs, when it takes none. */
  blocked: z.string().nullable().optional(),
};

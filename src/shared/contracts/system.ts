/** The System page's view of a node: GPUs and VRAM, CPU, slots per category, tools and encoders. */
import { z } from 'zod';
import { gpuInventoryFields } from './gpu-inventory';
import { resourceCategorySchema } from './job';

export const systemInfoSchema = z.object({
  nodeId: z.string(),
  version: z.string(),
  gpus: z.array(
    z.object({
      index: z.number().int(),
      name: z.string(),
      totalMb: z.number(),
      /** Used by every program on the GPU, ours included. */
      usedMb: z.number(),
      utilizationPercent: z.number().nullable(),
      temperatureC: z.number().nullable(),
      ...gpuInventoryFields,
    }),
  ),
  cpu: z.object({ cores: z.number().int(), loadAverage: z.array(z.number()) }),
  /** The budget the scheduler hands out (null: no GPU and none declared). */
  vramBudgetMb: z.number().nullable(),
  /** Reserved by running (and suspended) jobs. */
  vramReservedMb: z.number(),
  slots: z.record(resourceCategorySchema, z.object({ running: z.number().int(), limit: z.number().int() })),
  queue: z.object({ paused: z.boolean(), pausedCategories: z.array(resourceCategorySchema) }),
  tools: z.object({
    ffmpeg: z.object({ path: z.string(), version: z.string(), source: z.string() }).nullable(),
    ffprobe: z.object({ path: z.string(), version: z.string(), source: z.string() }).nullable(),
    error: z.string().nullable(),
  }),
  encoders: z.object({
    available: z.array(z.string()),
    preferred: z.string().nullable(),
    failed: z.array(z.object({ encoder: z.string(), reason: z.string() })),
    /** The start-up probe run on each NVIDIA GPU (#18): NVENC per codec, NVDEC and scale_cuda; absent without NVIDIA GPUs. */
    gpus: z
      .array(
        z.object({
          index: z.number().int(),
          uuid: z.string().nullable(),
          name: z.string(),
          nvenc: z.array(z.string()),
          nvencFailed: z.array(z.object({ codec: z.string(), reason: z.string() })),
          nvdecFailure: z.string().nullable(),
          scaleCudaFailure: z.string().nullable(),
          ms: z.number(),
        }),
      )
      .optional(),
    /** On a node with a card that has NVDEC but no NVENC: the measured choice (both timings) between NVDEC decode + software encode and all-software. */
    decodeChoice: z
      .object({ gpuIndex: z.number().int(), softwareMs: z.number().nullable(), nvdecMs: z.number().nullable(), decodeOnGpu: z.boolean(), summary: z.string() })
      .nullable()
      .optional(),
  }),
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;

/** What only the composition root knows (telemetry, tools, encoders). */
export type SystemExtras = Pick<SystemInfo, 'gpus' | 'tools' | 'encoders' | 'version'>;

/**
 * The VRAM budget the scheduler may hand out: a declared figure when the user set one, otherwise
 * what the GPU has minus what other programs use minus a headroom. Other programs' use is only
 * known exactly while none of our jobs hold VRAM; while they do, it is estimated conservatively
 * (never below the last exact reading), so our own jobs' growth is never taken for free memory.
 */
export interface GpuMemoryReading {
  readonly totalMb: number;
  readonly usedMb: number;
}

export interface VramBudgetInput {
  readonly declaredMb: number | null;
  /** The GPU jobs are placed on; null when there is none (or no telemetry). */
  readonly gpu: GpuMemoryReading | null;
  readonly reservedByUsMb: number;
  /** Other programs' use at the last reading taken while we reserved nothing. */
  readonly lastOthersMb: number;
  readonly headroomMb: number;
}

export interface VramBudget {
  readonly budgetMb: number | null;
  readonly othersMb: number;
}

export function computeVramBudget(input: VramBudgetInput): VramBudget {
  if (input.declaredMb !== null) return { budgetMb: input.declaredMb, othersMb: input.lastOthersMb };
  if (input.gpu === null) return { budgetMb: null, othersMb: 0 };
  const othersNow = Math.max(0, input.gpu.usedMb - input.reservedByUsMb);
  const othersMb = input.reservedByUsMb === 0 ? input.gpu.usedMb : Math.max(input.lastOthersMb, othersNow);
  return { budgetMb: Math.max(0, input.gpu.totalMb - othersMb - input.headroomMb), othersMb };
}

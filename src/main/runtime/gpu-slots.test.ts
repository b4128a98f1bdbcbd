import { describe, expect, it } from 'vitest';
import { StaticGpuInventory, type NvidiaGpu } from '../system/nvidia-gpus';
import { GpuSlots } from './gpu-slots';

const card = (index: number, o: Partial<NvidiaGpu> = {}): NvidiaGpu => ({
  index,
  uuid: `GPU-${index}`,
  name: 'NVIDIA GeForce RTX 4070',
  totalMb: 12_000,
  usedMb: 500,
  freeMb: 11_500,
  encoderSessions: 0,
  encoderUtilizationPercent: 0,
  decoderUtilizationPercent: 0,
  driverVersion: '550.54.15',
  utilizationPercent: 0,
  temperatureC: 40,
  ...o,
});

describe('GpuSlots (per-GPU budgets from the inventory)', () => {
  it('budget = total − headroom − other programs\' use; NVENC by card class; other programs\' sessions', () => {
    const inventory = new StaticGpuInventory([card(0, { encoderSessions: 3 }), card(1, { name: 'NVIDIA H100 80GB HBM3', totalMb: 80_000, usedMb: 0 })]);
    const slots = new GpuSlots(inventory, { nvencSessions: null });
    slots.setUsage({ 0: { reservedMb: 0, jobs: 0, encodes: 1 } });
    expect(slots.slots(512)).toEqual([
      { index: 0, uuid: 'GPU-0', name: 'NVIDIA GeForce RTX 4070', budgetMb: 12_000 - 500 - 512, encodeSupported: true, sessionCap: 8, otherSessions: 2 },
      { index: 1, uuid: 'GPU-1', name: 'NVIDIA H100 80GB HBM3', budgetMb: 80_000 - 512, encodeSupported: false, sessionCap: 0, otherSessions: 0 },
    ]);
  });

  it('while our jobs hold VRAM, other programs\' use is never taken lower than last seen; when it grows into our reservations the GPU is blocked, and takes jobs again once it frees', () => {
    const inventory = new StaticGpuInventory([card(0, { usedMb: 1_000 })]);
    const slots = new GpuSlots(inventory, { nvencSessions: null });
    expect(slots.slots(0)[0]!.budgetMb).toBe(11_000); // others: 1,000 exact
    slots.setUsage({ 0: { reservedMb: 8_000, jobs: 1, encodes: 0 } });
    inventory.set([card(0, { usedMb: 3_000 })]); // our job has only taken 2,000 of its 8,000 so far
    expect(slots.slots(0)[0]).toMatchObject({ budgetMb: 11_000 });
    expect(slots.slots(0)[0]!.blocked).toBeUndefined();
    inventory.set([card(0, { usedMb: 12_000 })]); // another program took 4,000 more (12,000 − 8,000 reserved)
    const blocked = slots.slots(0)[0]!;
    expect(blocked.budgetMb).toBe(8_000);
    expect(blocked.blocked).toBeUndefined(); // 8,000 reserved still fit 8,000
    inventory.set([card(0, { usedMb: 12_000, totalMb: 12_000 })]);
    slots.setUsage({ 0: { reservedMb: 9_000, jobs: 2, encodes: 0 } });
    const over = slots.slots(0)[0]!;
    expect(over.blocked).toMatch(/^GPU 0: other programs use 4,000 MB, leaving 8,000 MB for the 9,000 MB reserved here; taking no jobs/);
    slots.setUsage({});
    inventory.set([card(0, { usedMb: 500 })]);
    expect(slots.slots(0)[0]!.blocked).toBeUndefined();
  });

  it('MEDIA_NVENC_SESSIONS sets the cap of every card with NVENC', () => {
    const slots = new GpuSlots(new StaticGpuInventory([card(0), card(1, { name: 'NVIDIA RTX A5000' })]), { nvencSessions: 3 });
    expect(slots.slots(0).map((s) => s.sessionCap)).toEqual([3, 3]);
  });
});

describe('GpuSlots with per-process telemetry (nvidia-smi --query-compute-apps)', () => {
  it('other programs\' use is exact (ours subtracted by PID); free VRAM under what our jobs have yet to take blocks the GPU', () => {
    const inventory = new StaticGpuInventory([card(0, { usedMb: 3_500, freeMb: 8_500 })], [
      { gpuUuid: 'GPU-0', pid: 100, usedMb: 2_000 },
      { gpuUuid: 'GPU-0', pid: 999, usedMb: 1_500 },
    ]);
    const slots = new GpuSlots(inventory, { nvencSessions: null });
    slots.processStarted(100);
    slots.setUsage({ 0: { reservedMb: 8_000, jobs: 1, encodes: 1 } });
    expect(slots.views(0)[0]).toMatchObject({ othersMb: 1_500, budgetMb: 10_500, reservedMb: 8_000 });
    expect(slots.views(0)[0]!.blocked).toBeUndefined(); // 6,000 still to take, 8,500 free
    inventory.set([card(0, { usedMb: 9_000, freeMb: 3_000 })], [
      { gpuUuid: 'GPU-0', pid: 100, usedMb: 2_000 },
      { gpuUuid: 'GPU-0', pid: 999, usedMb: 7_000 },
    ]);
    expect(slots.slots(0)[0]!.blocked).toBe('GPU 0: 3,000 MB free is under the 6,000 MB its jobs reserved and have not taken yet (other programs use 7,000 MB); taking no jobs until it frees');
    slots.processEnded(100);
    slots.setUsage({});
    expect(slots.slots(0)[0]!.blocked).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { gpuJobsText, gpuLabel, gpuSessionsFull, gpuSessionsText, gpuVram, gpuVramText, shortGpuName, type GpuInfo } from './gpu-presentation';

const BASE: GpuInfo = { index: 0, name: 'RTX 4090', totalMb: 24_576, usedMb: 6_144, utilizationPercent: null, temperatureC: null };

describe('gpu presentation', () => {
  it('splits VRAM into reserved by our jobs, used by others and free, against the total', () => {
    const v = gpuVram({ ...BASE, vramReservedMb: 4_096, vramOthersMb: 2_048, freeMb: 18_432 });
    expect(v).toMatchObject({ reservedMb: 4_096, othersMb: 2_048, freeMb: 18_432 });
    expect(v.reservedPct).toBeCloseTo(16.67, 1);
    expect(v.othersPct).toBeCloseTo(8.33, 1);
    expect(gpuVramText(v)).toBe('4.0 GB reserved · 2.0 GB used by others · 18.0 GB free of 24.0 GB');
  });

  it('never draws past the bar, and without placement says only used and free', () => {
    const over = gpuVram({ ...BASE, vramReservedMb: 20_000, vramOthersMb: 10_000 });
    expect(over.reservedPct + over.othersPct).toBeLessThanOrEqual(100);
    const plain = gpuVram(BASE);
    expect(plain.reservedMb).toBeNull();
    // free derived from total − used when nvidia-smi gave none
    expect(gpuVramText(plain)).toBe('6.0 GB used · 18.0 GB free of 24.0 GB');
  });

  it('says NVENC sessions against the cap, no cap, or no NVENC at all', () => {
    expect(gpuSessionsText({ ...BASE, encodeSupported: true, nvencSessionCap: 8, encoderSessions: 3 })).toBe('3 of 8 NVENC sessions');
    expect(gpuSessionsText({ ...BASE, encodeSupported: true, nvencSessionCap: null, encoderSessions: 2 })).toBe('2 NVENC sessions (no cap)');
    expect(gpuSessionsText({ ...BASE, name: 'H100', encodeSupported: false })).toBe('NVENC not usable here (encodes run in software)');
    expect(gpuSessionsText(BASE)).toBeNull();
    expect(gpuSessionsFull({ ...BASE, encodeSupported: true, nvencSessionCap: 2, encoderSessions: 2 })).toBe(true);
    expect(gpuSessionsFull({ ...BASE, encodeSupported: true, nvencSessionCap: 2, encoderSessions: 1 })).toBe(false);
  });

  it('counts jobs and names a job’s GPU', () => {
    expect([gpuJobsText(0), gpuJobsText(1), gpuJobsText(3), gpuJobsText(undefined)]).toEqual(['0 jobs', '1 job', '3 jobs', null]);
    expect(gpuLabel(1, [BASE, { index: 1, name: 'RTX 3060' }])).toBe('GPU 1 · RTX 3060');
    expect(gpuLabel(2, [BASE])).toBe('GPU 2');
    expect(gpuLabel(0, null)).toBe('GPU 0');
    expect(gpuLabel(1, [{ index: 1, name: 'NVIDIA GeForce RTX 4090' }])).toBe('GPU 1 · RTX 4090');
    expect([shortGpuName('NVIDIA H100 80GB HBM3'), shortGpuName('Quadro RTX 4000'), shortGpuName('NVIDIA')]).toEqual(['H100 80GB HBM3', 'Quadro RTX 4000', 'NVIDIA']);
  });
});

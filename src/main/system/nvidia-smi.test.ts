import { describe, expect, it } from 'vitest';
import { GpuSampler, parseNvidiaSmiCsv } from './nvidia-smi';

describe('nvidia-smi telemetry', () => {
  it('parses csv,noheader,nounits output and skips lines it cannot read', () => {
    const text = '0, NVIDIA H200, 143771, 512, 3, 31\n1, NVIDIA RTX 4090, 24564, 20100, [N/A], 65\ngarbage\n';
    expect(parseNvidiaSmiCsv(text)).toEqual([
      { index: 0, name: 'NVIDIA H200', totalMb: 143771, usedMb: 512, utilizationPercent: 3, temperatureC: 31 },
      { index: 1, name: 'NVIDIA RTX 4090', totalMb: 24564, usedMb: 20100, utilizationPercent: null, temperatureC: 65 },
    ]);
  });

  it('reports no GPU when nvidia-smi is missing, without throwing', async () => {
    const sampler = new GpuSampler(1000, '/nonexistent/nvidia-smi');
    await sampler.start();
    expect(sampler.gpus).toEqual([]);
    sampler.stop();
  });
});

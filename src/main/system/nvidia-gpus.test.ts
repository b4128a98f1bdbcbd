import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NVIDIA_GPU_QUERY, NvidiaGpuSampler, parseNvidiaGpuCsv } from './nvidia-gpus';

// `nvidia-smi --query-gpu=<NVIDIA_GPU_QUERY> --format=csv,noheader,nounits` on a workstation with a
// GeForce, a data-centre card (no NVENC: its encoder fields print [N/A]) and a card whose memory
// nvidia-smi could not read
const SAMPLE = [
  '0, GPU-5f1e6c1a-6f0e-4c5a-9a84-1e3f0e0b7a11, NVIDIA GeForce RTX 4090, 24564, 1536, 22728, 2, 37, 12, 550.54.15, 41, 52',
  '1, GPU-a0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9f, NVIDIA H100 80GB HBM3, 81559, 4, 81004, [N/A], [N/A], 0, 550.54.15, 0, 33',
  '2, GPU-deadbeef-0000-1111-2222-333344445555, NVIDIA RTX A4000, [N/A], [N/A], [N/A], 0, 0, 0, 550.54.15, [N/A], [N/A]',
  '',
].join('\n');

describe('nvidia-smi per-GPU inventory', () => {
  it('asks for the fields #18 names, in order', () => {
    expect(NVIDIA_GPU_QUERY.startsWith('index,uuid,name,memory.total,memory.used,memory.free,encoder.stats.sessionCount,utilization.encoder,utilization.decoder,driver_version')).toBe(true);
  });

  it('parses every GPU; [N/A] fields are null; a line without memory figures is skipped', () => {
    const gpus = parseNvidiaGpuCsv(SAMPLE);
    expect(gpus).toEqual([
      {
        index: 0,
        uuid: 'GPU-5f1e6c1a-6f0e-4c5a-9a84-1e3f0e0b7a11',
        name: 'NVIDIA GeForce RTX 4090',
        totalMb: 24564,
        usedMb: 1536,
        freeMb: 22728,
        encoderSessions: 2,
        encoderUtilizationPercent: 37,
        decoderUtilizationPercent: 12,
        driverVersion: '550.54.15',
        utilizationPercent: 41,
        temperatureC: 52,
      },
      {
        index: 1,
        uuid: 'GPU-a0b1c2d3-e4f5-0617-2839-4a5b6c7d8e9f',
        name: 'NVIDIA H100 80GB HBM3',
        totalMb: 81559,
        usedMb: 4,
        freeMb: 81004,
        encoderSessions: null,
        encoderUtilizationPercent: null,
        decoderUtilizationPercent: 0,
        driverVersion: '550.54.15',
        utilizationPercent: 0,
        temperatureC: 33,
      },
    ]);
  });

  it('accepts output without the appended System-page fields, and [Not Supported]', () => {
    const [g] = parseNvidiaGpuCsv('3, GPU-x, Tesla T4, 15360, 0, 15360, [Not Supported], 0, 0, 535.1\n');
    expect(g).toMatchObject({ index: 3, name: 'Tesla T4', encoderSessions: null, utilizationPercent: null, temperatureC: null });
  });

  describe('sampler', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-smi-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('runs the binary with the query and reports its GPUs; a missing binary means no GPUs', async () => {
      const fake = join(dir, 'nvidia-smi');
      writeFileSync(fake, `#!/bin/sh\ncase "$1" in --query-gpu=${NVIDIA_GPU_QUERY}) printf '%s\\n' '${SAMPLE.split('\n')[0]}' ;; *) exit 3 ;; esac\n`);
      chmodSync(fake, 0o755);
      const sampler = new NvidiaGpuSampler(60_000, fake);
      await sampler.start();
      sampler.stop();
      expect(sampler.gpus().map((g) => [g.index, g.name, g.encoderSessions])).toEqual([[0, 'NVIDIA GeForce RTX 4090', 2]]);
      const missing = new NvidiaGpuSampler(60_000, join(dir, 'absent'));
      await missing.start();
      expect(missing.gpus()).toEqual([]);
    });
  });
});

describe('nvidia-smi per-process use', () => {
  it('parses --query-compute-apps output; [N/A] memory counts as 0', async () => {
    const { parseComputeAppsCsv } = await import('./nvidia-gpus');
    expect(parseComputeAppsCsv('GPU-a, 1234, 2048\nGPU-b, 99, [N/A]\n\n')).toEqual([
      { gpuUuid: 'GPU-a', pid: 1234, usedMb: 2048 },
      { gpuUuid: 'GPU-b', pid: 99, usedMb: 0 },
    ]);
  });
});

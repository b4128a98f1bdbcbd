/**
 * `npm run gpu-check`: on this machine (no NVIDIA driver) the real CLI writes a report whose every
 * item is not tested, each saying why — a valid outcome. On a fake 2-GPU machine (fake nvidia-smi
 * + fake ffmpeg running the real one for software work) the items run: telemetry matches, the probe
 * finds NVENC on the RTX card and none on the H100 (as its class predicts), the decode choice is
 * measured, placement spreads the jobs — and the VRAM item FAILS, because the fake nvidia-smi
 * cannot list our process: the check reports what it could not verify instead of passing.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_FFMPEG } from '../../processors/media/testing/clips';
import { writeFakeGpuFfmpeg } from '../../processors/media/testing/fake-gpu-ffmpeg';
import { NVIDIA_APPS_QUERY, NVIDIA_GPU_QUERY } from '../../system/nvidia-gpus';
import type { GpuCheckReport } from './report';
import { runGpuCheck } from './run-gpu-check';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'gpu-check-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROOT = resolve(import.meta.dirname, '../../../..');

describe('gpu-check on a machine without an NVIDIA GPU', () => {
  it('the CLI writes a report saying, item by item, that it could not test and why; exit code 0', async () => {
    const out = join(dir, 'report.json');
    const { stdout } = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/gpu-check.ts', out], { cwd: ROOT, env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:/usr/bin:/bin` } });
    const report = JSON.parse(readFileSync(out, 'utf8')) as GpuCheckReport;
    expect(report.gpuCount).toBe(0);
    // as `npm run` runs it: the project's Node 22
    expect(report.machine.node).toMatch(/^v22\./);
    expect(report.items.map((i) => [i.name, i.status])).toEqual([
      ['telemetry', 'not_tested'], ['probe', 'not_tested'], ['decode_choice', 'not_tested'], ['full_gpu', 'not_tested'], ['vram_accounting', 'not_tested'], ['placement', 'not_tested'],
    ]);
    expect(report.notTested).toHaveLength(6);
    for (const line of report.notTested) expect(line).toMatch(/nvidia-smi did not answer \(.*ENOENT.*\): no NVIDIA driver or GPU on this machine$/);
    expect(report.findings).toEqual([]);
    expect(stdout).toMatch(/0 GPU\(s\), 0 finding\(s\), 6 item\(s\) not tested/);
  }, 60_000);
});

function fakeNvidiaSmi(): string {
  const path = join(dir, 'nvidia-smi');
  const gpus = [
    '0, GPU-0, NVIDIA RTX A4000, 16376, 400, 15976, 0, 0, 0, 550.54.15, 3, 40',
    '1, GPU-1, NVIDIA H100 80GB HBM3, 81559, 600, 80959, [N/A], [N/A], 0, 550.54.15, 0, 33',
  ];
  writeFileSync(
    path,
    [
      '#!/bin/sh',
      'case "$1" in',
      `  --query-gpu=${NVIDIA_GPU_QUERY}) printf '%s\\n' '${gpus[0]}' '${gpus[1]}' ;;`,
      `  --query-gpu=index,uuid,name,memory.total) printf '%s\\n' 'index, uuid, name, memory.total [MiB]' '0, GPU-0, NVIDIA RTX A4000, 16376 MiB' '1, GPU-1, NVIDIA H100 80GB HBM3, 81559 MiB' ;;`,
      `  --query-compute-apps=${NVIDIA_APPS_QUERY}) printf '%s\\n' 'GPU-1, 4242, 500' ;;`,
      `  -L) printf '%s\\n' 'GPU 0: NVIDIA RTX A4000 (UUID: GPU-0)' 'GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-1)' ;;`,
      '  *) exit 3 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(path, 0o755);
  return path;
}

describe('gpu-check on a fake 2-GPU machine (RTX A4000 + H100)', () => {
  it('runs every item; the VRAM item fails honestly where nvidia-smi does not list our process', async () => {
    const ffmpeg = writeFakeGpuFfmpeg(join(dir), [{ index: 0, uuid: 'GPU-0' }, { index: 1, uuid: 'GPU-1', nvenc: [], delayMs: 300 }], TEST_FFMPEG);
    const report = await runGpuCheck({ nvidiaSmi: fakeNvidiaSmi(), ffmpegPath: ffmpeg.path, clip: { size: '320x240', seconds: 1 } });
    const byName = Object.fromEntries(report.items.map((i) => [i.name, i]));
    expect(report.items.map((i) => [i.name, i.status])).toEqual([
      ['telemetry', 'passed'], ['probe', 'passed'], ['decode_choice', 'passed'], ['full_gpu', 'passed'], ['vram_accounting', 'failed'], ['placement', 'passed'],
    ]);
    expect(byName.probe!.detail).toMatch(/GPU 1 NVIDIA H100 80GB HBM3: no NVENC \(expected for this class\): \[h264_nvenc\] OpenEncodeSessionEx failed/);
    expect(byName.decode_choice!.detail).toMatch(/on GPU 1 \(no NVENC\): NVDEC \+ libx264 \d+ ms, all-software \d+ ms/);
    expect(byName.full_gpu!.detail).toMatch(/GPU 0 full GPU \(NVDEC \+ scale_cuda \+ h264_nvenc\): \d+ ms .*GPU 1 NVDEC \+ scale_cuda \(no NVENC\): \d+ ms/);
    expect(byName.vram_accounting!.detail).toMatch(/^our ffmpeg \(pid \d+\) is not among nvidia-smi's compute apps/);
    expect(report.findings).toEqual([expect.stringMatching(/^vram_accounting: /)]);
    // 8 gpu_ai jobs over both GPUs; H.264 encodes only on the RTX card (the H100's NVENC probe failed)
    expect(byName.placement!.detail).toMatch(/gpu_ai jobs per GPU \{"0":[1-7],"1":[1-7]\}; H\.264 encodes per GPU \{"0":[1-8],"1":0\}/);
  }, 120_000);
});

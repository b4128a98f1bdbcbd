/**
 * End-to-end, #18's must-show on a fake 2-GPU machine: a fake `nvidia-smi` first on the server's
 * PATH reports two NVIDIA cards (different sizes); two GPU jobs are placed one per GPU (the least
 * reserved first); the dashboard and the System page each show one row per GPU with the job running
 * there, and the tiles name their GPU. There is no GPU here: NVENC fails its start-up probe on both
 * cards (no libcuda), so encodes run in software and are not GPU work; the jobs placed are AI tagging
 * jobs (gpu_ai, always GPU work), which run on the CPU here. What is real is the inventory, the
 * placement, the pinning and what the UI shows of them.
 * Screenshots at 1024×700 and 1920×1080; neither page scrolls sideways.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_CLIP } from './support/clips';
import { JOB_TIMEOUT, setupSuite } from './support/suite';
import { expectNoHorizontalScroll, openPage, signIn } from './support/ui';

const GPUS = [
  { index: 0, uuid: 'GPU-fa4e0000-0000-4000-8000-000000000000', name: 'NVIDIA GeForce RTX 4090', totalMb: 24564, usedMb: 1024 },
  { index: 1, uuid: 'GPU-fa4e0000-0000-4000-8000-000000000001', name: 'NVIDIA GeForce RTX 3060', totalMb: 12288, usedMb: 512 },
] as const;

/** A shell script standing in for nvidia-smi: the queries the server makes (system/nvidia-gpus.ts, nvidia-smi.ts, gpu-activity.ts). */
function fakeNvidiaSmi(): string {
  const dir = mkdtempSync(join(tmpdir(), 'media-e2e-fake-smi-'));
  const full = GPUS.map((g) => `${g.index}, ${g.uuid}, ${g.name}, ${g.totalMb}, ${g.usedMb}, ${g.totalMb - g.usedMb}, 0, 0, 0, 550.54.15, 3, 41`);
  const short = GPUS.map((g) => `${g.index}, ${g.name}, ${g.totalMb}, ${g.usedMb}, 3, 41`);
  const script = [
    '#!/bin/sh',
    'case "$1" in',
    `  --query-gpu=encoder.stats.sessionCount) printf '0\\n0\\n' ;;`,
    `  --query-gpu=index,name,*) printf '%s\\n' ${short.map((l) => `'${l}'`).join(' ')} ;;`,
    `  --query-gpu=*) printf '%s\\n' ${full.map((l) => `'${l}'`).join(' ')} ;;`,
    // no compute processes: other programs hold exactly what "used" says
    '  *) ;;',
    'esac',
    '',
  ].join('\n');
  const file = join(dir, 'nvidia-smi');
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return dir;
}

const s = setupSuite({ name: 'gpus', viewport: { width: 1024, height: 700 }, env: { PATH: `${fakeNvidiaSmi()}:${process.env.PATH ?? ''}`, MEDIA_LIMIT_GPU_AI: '2' } });

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1920, height: 1080 },
] as const;

describe.sequential('two GPUs (fake nvidia-smi): dashboard and System page', () => {
  it('places two GPU jobs one per GPU', async () => {
    const { api } = s;
    await api.scanInbox();
    const long = await api.videoByFilename(LONG_CLIP.file);
    const jobs = [];
    // 200 frames of the long clip each: they still run while the pages are looked at
    for (let i = 0; i < 2; i += 1) jobs.push(await api.createJob('tag_generation', { videoId: long.id, sampleCount: 200 }));
    const running = await Promise.all(jobs.map((j) => api.waitForStatus(j.id, ['running'], JOB_TIMEOUT)));
    expect(running.map((j) => j.gpuIndex).sort()).toEqual([0, 1]);
    expect(running.map((j) => j.gpuUuid).sort()).toEqual(GPUS.map((g) => g.uuid));
  });

  it('the dashboard shows a row per GPU with its job, and each tile names its GPU', async () => {
    const { page, server, shots } = s;
    await signIn(page, server.url, server.token);
    const capacity = page.getByRole('region', { name: 'Capacity' });
    for (const gpu of GPUS) {
      const row = capacity.getByRole('group', { name: `GPU ${gpu.index}` });
      await row.getByText(`#${gpu.index} ${gpu.name}`).waitFor();
      await expect.poll(() => row.getByLabel(`Jobs on GPU ${gpu.index}`).textContent(), { timeout: JOB_TIMEOUT }).toBe('1 job');
      await expect.poll(() => row.getByLabel(`GPU ${gpu.index} VRAM`, { exact: true }).textContent()).toMatch(/reserved · .* used by others · .* free of /);
    }
    const tiles = page.getByRole('article', { name: /^Running job: long-drive/ });
    await expect.poll(() => tiles.count(), { timeout: JOB_TIMEOUT }).toBe(2);
    // the tile's badge names the card without "NVIDIA GeForce"
    for (const gpu of GPUS) await page.getByLabel(`Runs on GPU ${gpu.index} · ${gpu.name.replace('NVIDIA GeForce ', '')}`).waitFor();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectNoHorizontalScroll(page, `dashboard at ${size.width}×${size.height}`);
      await shots.take(page, `dashboard-two-gpus-${size.width}x${size.height}`);
    }
  });

  it('the System page shows a row per GPU: its job, VRAM reserved / used by others / free, NVENC', async () => {
    const { page, shots } = s;
    await page.setViewportSize(SIZES[0]);
    await openPage(page, 'System');
    const rows = page.getByLabel('GPU rows');
    await expect.poll(() => rows.getByRole('group').count()).toBe(2);
    for (const gpu of GPUS) {
      const row = rows.getByRole('group', { name: `GPU ${gpu.index}` });
      await row.getByText(`#${gpu.index} ${gpu.name}`).waitFor();
      await expect.poll(() => row.getByLabel(`Jobs on GPU ${gpu.index}`).textContent(), { timeout: JOB_TIMEOUT }).toBe('1 job');
      // the reservation of its one encode, what the fake says other programs hold, what is free
      await expect.poll(() => row.getByLabel(`GPU ${gpu.index} VRAM`, { exact: true }).textContent()).toMatch(new RegExp(`^[\\d.]+ (MB|GB) reserved · ${gpu.usedMb === 1024 ? '1\\.0 GB' : '512 MB'} used by others · `));
      await expect.poll(() => row.getByLabel(`GPU ${gpu.index} NVENC`).textContent()).toMatch(/NVENC/);
    }
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await expectNoHorizontalScroll(page, `System page at ${size.width}×${size.height}`);
      await shots.take(page, `system-two-gpus-${size.width}x${size.height}`);
    }
  });

  it('stops the jobs', async () => {
    const { api } = s;
    const live = await api.listJobs({ status: 'running' });
    for (const job of live.data) await api.cancelJob(job.id);
  });

  it('a job pinned to GPU 1 (params.gpu) runs there: recorded on the job, its ffmpeg pinned by CUDA_VISIBLE_DEVICES, its tile names GPU 1', async () => {
    const { api, page } = s;
    // the cancelled jobs end first: their tiles and reservations go
    for (const job of (await api.listJobs({ status: 'running' })).data) await api.waitForStatus(job.id, ['cancelled'], JOB_TIMEOUT);
    const long = await api.videoByFilename(LONG_CLIP.file);
    // with both GPUs free, placement alone would choose GPU 0 (least reserved, then lowest index)
    const created = await api.createJob('tag_generation', { videoId: long.id, sampleCount: 200, gpu: 1 });
    expect((await api.getJob(created.id)).params).toMatchObject({ gpu: 1 });
    const running = await api.waitForStatus(created.id, ['running'], JOB_TIMEOUT);
    expect([running.gpuIndex, running.gpuUuid]).toEqual([1, GPUS[1].uuid]);
    const pinned = `CUDA_VISIBLE_DEVICES=${GPUS[1].uuid}`;
    await expect.poll(async () => (await api.getJob(created.id)).log, { timeout: JOB_TIMEOUT }).toContain(`Pinned to GPU 1: tools run with ${pinned} CUDA_DEVICE_ORDER=PCI_BUS_ID`);
    // the tool really runs with the pin: its ffmpeg's environment (this machine's /proc)
    await expect.poll(() => ffmpegEnvironmentsOf(LONG_CLIP.file).some((env) => env.includes(pinned)), { timeout: JOB_TIMEOUT }).toBe(true);
    await openPage(page, 'Dashboard');
    const tiles = page.getByRole('article', { name: /^Running job: long-drive/ });
    await expect.poll(() => tiles.count(), { timeout: JOB_TIMEOUT }).toBe(1);
    await tiles.getByLabel(`Runs on GPU 1 · ${GPUS[1].name.replace('NVIDIA GeForce ', '')}`).waitFor({ timeout: JOB_TIMEOUT });
    await api.cancelJob(created.id);
  });
});

/** The environment variables of every ffmpeg process reading `file` (processes of other users are skipped). */
function ffmpegEnvironmentsOf(file: string): string[][] {
  const out: string[][] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!cmdline.some((a) => a.endsWith('ffmpeg')) || !cmdline.some((a) => a.includes(file))) continue;
      out.push(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0'));
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

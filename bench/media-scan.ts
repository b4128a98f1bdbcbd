/**
 * media.scan.speedup and media.scan.files_per_s: 1,000 small clips scanned by a `scan` job (which
 * probes in parallel, bounded by the cpu limit) versus a sequential ffprobe loop over the same
 * files.
 *
 * One tiny clip (64x64, 0.2 s, with audio) is made once and copied 1,000 times into
 * <root>/videos/scan/NN/ (folders of 100). The loop runs ffprobe with the job's own arguments
 * (ffprobeArgs: `-v error -print_format json -show_format -show_streams -i <file>`) through
 * execFile, one file after another, and parses the JSON. The scan job (skipExisting: the clip the
 * reencode benchmark registered is not probed again) is timed from createJob to its `completed`
 * event: it walks the folder, registers the 1,000 new files, probes them and records each probe.
 * speedup = sequential time / job time.
 *
 * The sequential loop covers every SCAN_BASELINE_EVERY-th file (default 2: 500 of the 1,000, all
 * identical copies) and its time is scaled to the 1,000: at ~115 ms per ffprobe process on the
 * 2-core machine the full loop alone would take two minutes. Half of the sample runs before the
 * job and half after it, so a change in the machine's load during the section hits both sides.
 * Set SCAN_BASELINE_EVERY to 1 for the full loop.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ffprobeArgs } from '../src/main/processors/media/ffprobe';
import { makeClip } from '../src/main/processors/media/testing/clips';
import type { MediaRuntime } from '../src/main/processors/testing/media-runtime';
import { cpuSince, cpuTimes, loadAverage, loggedAt, timeJob, timeTool } from './media-job';
import { atLeast, type Metric } from './report';
import { progress } from './support';

export const SCAN_FILES = 1000;
export const SCAN_BASELINE_EVERY = 2;
const PER_FOLDER = 100;
export const SCAN_CLIP = { width: 64, height: 64, fps: 25, seconds: 0.2, audio: true } as const;
const JOB_TIMEOUT_MS = 300_000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** ffprobe each file in turn (the JSON parsed and checked); returns the wall time and the CPU it used. */
async function sequentialProbes(ffprobe: string, paths: readonly string[]): Promise<{ ms: number; cpu: ReturnType<typeof cpuSince> }> {
  const cpu = cpuTimes();
  const t0 = performance.now();
  for (const path of paths) {
    const { stdout } = await timeTool(ffprobe, ffprobeArgs(path));
    const probed = JSON.parse(stdout) as { streams?: unknown[] };
    if (probed.streams?.length !== 2) throw new Error(`media: ffprobe of ${path} found ${probed.streams?.length ?? 0} stream(s), expected 2`);
  }
  return { ms: performance.now() - t0, cpu: cpuSince(cpu) };
}

export async function benchScanSpeedup(m: MediaRuntime, files = SCAN_FILES, baselineEvery = SCAN_BASELINE_EVERY): Promise<Metric[]> {
  const { embedded, root } = m;
  const tools = embedded.tools;
  if (!tools) throw new Error(`media: ffmpeg/ffprobe not found: ${embedded.toolsError ?? 'unknown'}`);
  const parallelism = embedded.runtime.config.limits.cpu;
  const cores = availableParallelism();

  const clipDir = join(m.dir, 'scan-source');
  await mkdir(clipDir, { recursive: true });
  const clip = await makeClip(clipDir, 'tiny.mp4', SCAN_CLIP);
  const paths: string[] = [];
  for (let i = 0; i < files; i++) {
    const folder = join(root, 'videos', 'scan', String(Math.floor(i / PER_FOLDER)).padStart(2, '0'));
    if (i % PER_FOLDER === 0) await mkdir(folder, { recursive: true });
    const path = join(folder, `clip-${String(i).padStart(4, '0')}.mp4`);
    await copyFile(clip, path);
    paths.push(path);
  }
  const sample = paths.filter((_, i) => i % baselineEvery === 0);
  const before = sample.slice(0, Math.ceil(sample.length / 2));
  const after = sample.slice(before.length);
  progress(
    `media: ${files} copies of a ${SCAN_CLIP.width}x${SCAN_CLIP.height} ${SCAN_CLIP.seconds}-s clip in videos/scan/ (folders of ${PER_FOLDER}); ` +
      `sequential ffprobe of ${before.length} files (load average ${loadAverage().toFixed(2)})…`,
  );
  const seq1 = await sequentialProbes(tools.ffprobe.path, before);

  progress(`media: sequential ${seconds(seq1.ms)} (${(seq1.ms / before.length).toFixed(1)} ms per file); scan job of ${files} files, parallelism ${parallelism} on ${cores} cores…`);
  const jobCpu = cpuTimes();
  const jobElu = performance.eventLoopUtilization();
  const scan = await timeJob(m, 'scan', { directoryType: 'videos', skipExisting: true }, JOB_TIMEOUT_MS);
  const elu = performance.eventLoopUtilization(jobElu).utilization;
  const cpu = cpuSince(jobCpu);
  const found = /probing (\d+)/.exec(scan.job.log);
  const finished = /(\d+) valid, (\d+) invalid/.exec(scan.job.log);
  if (Number(found?.[1]) !== files || Number(finished?.[1]) !== files || Number(finished?.[2]) !== 0) {
    throw new Error(`media: the scan job did not probe ${files} valid files; log:\n${scan.job.log}`);
  }
  const probingAt = loggedAt(scan, /^Found \d+ video file/);
  const finishedAt = loggedAt(scan, /^Scan finished/);
  const span = (a: number | null, b: number | null) => (a === null || b === null ? '?' : `${(b - a).toFixed(0)}`);
  const cpuText =
    `CPU: ffprobe ${cpu.childrenMs === null ? '?' : seconds(cpu.childrenMs)}, this process ${seconds(cpu.selfMs)} ` +
    `of ${cores} cores × ${seconds(scan.ms)} = ${seconds(cores * scan.ms)}` +
    (cpu.childrenMs === null ? '' : ` (${(((cpu.childrenMs + cpu.selfMs) / (cores * scan.ms)) * 100).toFixed(0)}% used by the scan)`) +
    `, event loop busy ${(elu * 100).toFixed(0)}%`;
  progress(
    `media: scan job ${seconds(scan.ms)}: claim ${span(0, scan.startedAfterMs)} ms, walk+register ${span(scan.startedAfterMs, probingAt)} ms, ` +
      `probe+record ${span(probingAt, finishedAt)} ms, outcome recorded ${span(finishedAt, scan.ms)} ms; ${cpuText}; load average ${loadAverage().toFixed(2)}`,
  );

  progress(`media: sequential ffprobe of ${after.length} more files…`);
  const seq2 = after.length > 0 ? await sequentialProbes(tools.ffprobe.path, after) : { ms: 0, cpu: { selfMs: 0, childrenMs: 0 } };
  const perFileMs = (seq1.ms + seq2.ms) / sample.length;
  const sequentialMs = perFileMs * files;
  const seqCpuPerFile = seq1.cpu.childrenMs === null || seq2.cpu.childrenMs === null ? null : (seq1.cpu.childrenMs + seq2.cpu.childrenMs) / sample.length;
  progress(
    `media: sequential ${(seq1.ms / before.length).toFixed(1)} ms per file before the job, ${after.length ? (seq2.ms / after.length).toFixed(1) : '-'} after; ` +
      `CPU per file: ffprobe ${seqCpuPerFile === null ? '?' : seqCpuPerFile.toFixed(1)} ms, this process ${((seq1.cpu.selfMs + seq2.cpu.selfMs) / sample.length).toFixed(1)} ms ` +
      `(in the job: ffprobe ${cpu.childrenMs === null ? '?' : (cpu.childrenMs / files).toFixed(1)} ms, this process ${(cpu.selfMs / files).toFixed(1)} ms); ` +
      `${files} files → ${seconds(sequentialMs)}`,
  );

  const speedup = sequentialMs / scan.ms;
  const baseline =
    baselineEvery === 1
      ? `sequential ffprobe loop over all ${files} files (half before the job, half after) ${seconds(sequentialMs)}`
      : `sequential ffprobe loop ${seconds(sequentialMs)} (${perFileMs.toFixed(1)} ms per file measured on every ${baselineEvery === 2 ? 'other' : `${baselineEvery}th`} file, ${sample.length} of the ${files}, half before the job and half after, ×${files})`;
  return [
    {
      metric: 'media.scan.speedup',
      value: speedup,
      unit: 'ratio',
      target: atLeast(1.8),
      note:
        `${baseline} / scan job ${seconds(scan.ms)} over the same ${files} files (${SCAN_CLIP.width}x${SCAN_CLIP.height} ${SCAN_CLIP.seconds}-s clips with audio, ` +
        `folders of ${PER_FOLDER}); scan parallelism ${parallelism} (limits.cpu) on ${cores} cores; the job time is createJob → completed event and includes ` +
        `the walk, registering the files and recording each probe; during the job ${cpuText}`,
    },
    {
      metric: 'media.scan.files_per_s',
      value: (files / scan.ms) * 1000,
      unit: 'files/s',
      note: `${files} files / scan job wall time; the sequential loop did ${(1000 / perFileMs).toFixed(1)} files/s`,
    },
  ];
}

/**
 * The `analysis` section: real analysis jobs with the real processors and real ffmpeg through the
 * embedded runtime (startMediaRuntime, as the `media` section; limits cpu 4, gpu_encode 2,
 * gpu_ai 1; progress/log flushed every 200 ms, the production default).
 *
 *   - analysis.scene.realtime_factor: seconds of 720p video per second of a scene_extract job
 *   - analysis.scene.pass_realtime_factor, analysis.scene.cpu_realtime_factor (diagnostics)
 *   - analysis.digest.realtime_factor: the same for a digest_generate job (analysis with
 *     loudness, then the digest encoded)
 */
import { join } from 'node:path';
import { makeCutClip, type PictureSegment } from '../src/main/processors/analysis/testing/analysis-clips';
import { startMediaRuntime, type MediaRuntime } from '../src/main/processors/testing/media-runtime';
import { loadConfig } from '../src/main/runtime/config';
import { MEDIA_LIMITS } from './media-bench';
import { cpuSince, cpuTimes, loadAverage, timeJob, type TimedJob } from './media-job';
import { atLeast, type Metric } from './report';
import { median, progress } from './support';

export const ANALYSIS_ROUNDS = 3;
const SOURCES = ['testsrc2', 'smptebars', 'rgbtestsrc'] as const;
/** 60 s of 1280x720 30 fps, a cut every 10 s, x264 veryfast (B-frames, CABAC, deblocking) + AAC. */
export const ANALYSIS_CLIP = { width: 1280, height: 720, fps: 30, seconds: 60, segmentSeconds: 10 } as const;
const CLIP_NAME = 'bench-720p.mp4';
const JOB_TIMEOUT_MS = 300_000;

const passSeconds = (t: TimedJob): number | null => {
  const line = t.logAt.find((l) => /^Analysed \d+ frames/.test(l.text))?.text;
  const match = line ? / in ([\d.]+) s,/.exec(line) : null;
  return match ? Number(match[1]) : null;
};

async function scannedClip(m: MediaRuntime): Promise<{ id: string; seconds: number }> {
  const pictures: PictureSegment[] = Array.from({ length: ANALYSIS_CLIP.seconds / ANALYSIS_CLIP.segmentSeconds }, (_, i) => ({ source: SOURCES[i % SOURCES.length]!, seconds: ANALYSIS_CLIP.segmentSeconds }));
  const startedAt = performance.now();
  await makeCutClip(join(m.root, 'videos'), CLIP_NAME, { pictures, width: ANALYSIS_CLIP.width, height: ANALYSIS_CLIP.height, fps: ANALYSIS_CLIP.fps });
  progress(`analysis: made the ${ANALYSIS_CLIP.seconds}-s ${ANALYSIS_CLIP.width}x${ANALYSIS_CLIP.height} clip in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  await timeJob(m, 'scan', { directoryType: 'videos', skipExisting: true }, JOB_TIMEOUT_MS);
  const video = (await m.embedded.runtime.execute('listVideos', { search: CLIP_NAME })).data.find((v) => v.filename === CLIP_NAME);
  if (!video?.valid || !video.durationSeconds) throw new Error(`analysis: the scan did not register ${CLIP_NAME} as a valid video`);
  return { id: video.id, seconds: video.durationSeconds };
}

export async function benchAnalysis(rounds = ANALYSIS_ROUNDS): Promise<Metric[]> {
  const startedAt = performance.now();
  const m = await startMediaRuntime({ limits: MEDIA_LIMITS, reportFlushMs: loadConfig({}).reportFlushMs });
  try {
    const clip = await scannedClip(m);
    const cuts = ANALYSIS_CLIP.seconds / ANALYSIS_CLIP.segmentSeconds - 1;
    const wall: number[] = [];
    const pass: number[] = [];
    const cpu: number[] = [];
    const loads: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const before = cpuTimes();
      const job = await timeJob(m, 'scene_extract', { videoId: clip.id }, JOB_TIMEOUT_MS);
      const used = cpuSince(before);
      const scenes = await m.embedded.runtime.execute('listScenes', { id: clip.id });
      if (scenes.scenes.length !== cuts + 1) throw new Error(`analysis: scene_extract found ${scenes.scenes.length} scenes, expected ${cuts + 1}; log:\n${job.job.log}`);
      wall.push(job.ms / 1000);
      pass.push(passSeconds(job) ?? NaN);
      if (used.childrenMs !== null) cpu.push((used.childrenMs + used.selfMs) / 1000);
      loads.push(loadAverage());
      progress(`analysis: scene_extract round ${round}/${rounds}: job ${(job.ms / 1000).toFixed(2)} s, pass ${pass.at(-1)?.toFixed(2)} s, CPU ${cpu.at(-1)?.toFixed(2) ?? '?'} s, load ${loads.at(-1)!.toFixed(1)}`);
    }
    const digest = await timeJob(m, 'digest_generate', { videoId: clip.id, targetLength: 10 }, JOB_TIMEOUT_MS);
    progress(`analysis: digest_generate (10 s) ${(digest.ms / 1000).toFixed(2)} s; section took ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);

    const factor = clip.seconds / median(wall);
    const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(2)).join('/');
    const clipText = `${clip.seconds.toFixed(0)}-s ${ANALYSIS_CLIP.width}x${ANALYSIS_CLIP.height} ${ANALYSIS_CLIP.fps} fps H.264 (x264 veryfast, B-frames) + AAC clip with ${cuts} cuts`;
    const cores = (await import('node:os')).availableParallelism();
    return [
      {
        metric: 'analysis.scene.realtime_factor',
        value: factor,
        unit: 'x',
        target: atLeast(8),
        note:
          `video seconds / median wall time of a scene_extract job (createJob → completed event: analysis pass, cut detection, ${cuts + 1} scene JPEGs, store) over ${rounds} rounds ` +
          `(${fmt(wall)} s) on a ${clipText}; ${cores} cores, 1-min load average ${fmt(loads)} (other work on the machine slows it)`,
      },
      {
        metric: 'analysis.scene.pass_realtime_factor',
        value: clip.seconds / median(pass),
        unit: 'x',
        note: `the ffmpeg analysis pass alone (decode with -hwaccel auto and -skip_loop_filter all, 160-px fast_bilinear scale, scdet), from the job's log: ${fmt(pass)} s`,
      },
      {
        metric: 'analysis.scene.cpu_realtime_factor',
        value: cpu.length ? (clip.seconds * cores) / median(cpu) : NaN,
        unit: 'x',
        note: `what the job would reach with all ${cores} cores to itself: video seconds × cores / CPU seconds used by the job (ffmpeg children and the runtime; ${fmt(cpu)} s)`,
      },
      {
        metric: 'analysis.digest.realtime_factor',
        value: clip.seconds / (digest.ms / 1000),
        unit: 'x',
        note: `one digest_generate job (targetLength 10: analysis with ebur128 loudness, scoring, 10 s encoded with the preferred encoder) on the same clip, ${(digest.ms / 1000).toFixed(2)} s`,
      },
    ];
  } finally {
    await m.dispose();
  }
}

/**
 * Segment mode (issue #20), two metrics, in the `transcode` section:
 *
 * media.segments.overhead_ratio: a segmented `transcode` job (chunks of 60 s, each its own job, the
 * audio once, the join, then the same proof) over the same transcode unsegmented, same runtime, same
 * run, same slots (gpu_encode 1: the chunks run one after the other, as the single encode does), in
 * ABBA order; ratio = median(segmented) / median(unsegmented). A 180-s 640x360 H.264 clip with audio
 * → H.264 crf 23 preset medium, copy mode, in chunks of the default length, 60 s (3 chunks). The
 * per-part costs are fixed, so a clip of only three chunks is still the unfavourable side of what
 * `auto` runs (inputs over 10 minutes); chunks of 20 s on a 60-s clip measured 1.12-1.31 before.
 *
 * media.segments.resume_waste_ratio: a node (its own process) runs a segmented lossless transcode
 * of a 60-s 320x180 clip in chunks of 10 s, two at a time, and is killed -9 once 90 % of its chunks
 * are done; a runtime restarted on the same data finishes it. Value: seconds of video encoded again
 * (the chunks with more than one attempt) / the chunk length; target: at most the chunks that were
 * running at the kill (the chunks the restart recovered).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startMediaRuntime, type MediaRuntime } from '../src/main/processors/testing/media-runtime';
import { segmentClip } from '../src/main/processors/segments/testing/segment-clips';
import { openTranscodeRuntime } from '../src/main/processors/transcode/testing/transcode-runtime';
import { childUntilReady } from '../src/main/testing/child-until-ready';
import { cpuSince, cpuTimes, loadAverage, timeJob, type TimedJob } from './media-job';
import { atMost, type Metric } from './report';
import { median, progress, tempDir } from './support';

/** 4 rounds (ABBA ABBA): with 2, one loaded run decided the median (unsegmented runs of one run spread 16-26 s). */
const ROUNDS = 4;
const JOB_TIMEOUT_MS = 300_000;
const CHUNK_SECONDS = 10;
/** The default chunk length (segments: "auto" and {seconds} default to it): what users run. */
const OVERHEAD_CHUNK_SECONDS = 60;
const OVERHEAD_CLIP_SECONDS = 180;

async function scanned(m: MediaRuntime, name: string): Promise<string> {
  await timeJob(m, 'scan', { directoryType: 'videos', skipExisting: true }, JOB_TIMEOUT_MS);
  const video = (await m.embedded.runtime.execute('listVideos', { search: name, directoryType: 'videos' })).data.find((v) => v.filename === name);
  if (!video?.valid) throw new Error(`segments: the scan did not register ${name}`);
  return video.id;
}

async function overhead(): Promise<Metric> {
  const m = await startMediaRuntime({ limits: { cpu: 2, gpu_encode: 1, gpu_ai: 1 } });
  try {
    progress(`segments: making a ${OVERHEAD_CLIP_SECONDS}-s 640x360 clip`);
    await segmentClip(join(m.root, 'videos'), 'seg-source.mp4', OVERHEAD_CLIP_SECONDS, '640x360');
    const videoId = await scanned(m, 'seg-source.mp4');
    const base = { videoId, codec: 'h264', crf: 23, preset: 'medium', skipIfCodec: false, skipBelowBitsPerPixel: 0, force: true };
    const one: TimedJob[] = [];
    const seg: TimedJob[] = [];
    let n = 0;
    const cpu = { one: [] as number[], seg: [] as number[] };
    const timed = async (which: 'one' | 'seg', job: () => Promise<TimedJob>) => {
      const before = cpuTimes();
      const t = await job();
      const used = cpuSince(before);
      cpu[which].push(used.selfMs + (used.childrenMs ?? 0));
      return t;
    };
    const runOne = async () => {
      const t = await timed('one', () => timeJob(m, 'transcode', { ...base, segments: 'off', outputPath: `videos/one-${++n}.mp4` }, JOB_TIMEOUT_MS));
      one.push(t);
      return `unsegmented ${t.ms.toFixed(0)} ms`;
    };
    const runSeg = async () => {
      const t = await timed('seg', () => timeJob(m, 'transcode', { ...base, segments: { seconds: OVERHEAD_CHUNK_SECONDS }, outputPath: `videos/seg-${++n}.mp4` }, JOB_TIMEOUT_MS));
      if (!/Segment mode: 3 chunks/.test(t.job.log)) throw new Error(`segments: the job was not segmented:\n${t.job.log}`);
      seg.push(t);
      return `segmented ${t.ms.toFixed(0)} ms`;
    };
    for (let round = 1; round <= ROUNDS; round++) {
      const first = round % 2 === 1 ? await runOne() : await runSeg();
      const second = round % 2 === 1 ? await runSeg() : await runOne();
      progress(`segments: round ${round}/${ROUNDS}: ${first}, ${second}; load average ${loadAverage().toFixed(2)}`);
    }
    const oneMedian = median(one.map((t) => t.ms));
    const segMedian = median(seg.map((t) => t.ms));
    return {
      metric: 'media.segments.overhead_ratio',
      value: segMedian / oneMedian,
      unit: 'ratio',
      target: atMost(1.1),
      note:
        `median segmented ${segMedian.toFixed(0)} ms / median unsegmented ${oneMedian.toFixed(0)} ms over ${ROUNDS} rounds in ABBA order ` +
        `(segmented ${seg.map((t) => t.ms.toFixed(0)).join('/')} ms, unsegmented ${one.map((t) => t.ms.toFixed(0)).join('/')} ms); ` +
        `${OVERHEAD_CLIP_SECONDS}-s 640x360 H.264 + AAC → libx264 crf 23 medium, copy mode, chunks of ${OVERHEAD_CHUNK_SECONDS} s, the default length (3 chunk jobs + 1 audio job + the join), gpu_encode limit 1 for both; ` +
        `CPU (this process and its tools): median segmented ${median(cpu.seg).toFixed(0)} ms / unsegmented ${median(cpu.one).toFixed(0)} ms = ${(median(cpu.seg) / median(cpu.one)).toFixed(3)}; ` +
        `the segmented job adds the keyframe probe, a second run of the parent, 4 claims with their ffprobe/ffmpeg start-ups, the chunk checks and the concat; load average ${loadAverage().toFixed(2)} at the end`,
    };
  } finally {
    await m.dispose();
  }
}

async function resumeWaste(): Promise<Metric> {
  const dir = tempDir('segments-kill');
  try {
    const videos = join(dir.dir, 'library', 'videos');
    mkdirSync(videos, { recursive: true });
    await segmentClip(videos, 'long.mp4', 60, '320x180');
    progress('segments: a node encodes 6 chunks of 10 s, two at a time; killed -9 at 90 %');
    const child = join(import.meta.dirname, '..', 'src', 'main', 'processors', 'segments', 'testing', 'segment-kill-child.ts');
    const { state, kill } = await childUntilReady<{ jobId: string; total: number; done: number }>(child, [dir.dir], 'AT_90');
    await kill();
    const t = await openTranscodeRuntime(dir.dir, { limits: { cpu: 2, gpu_encode: 2, gpu_ai: 1 } });
    try {
      const job = await t.waitForEnd(state.jobId, JOB_TIMEOUT_MS);
      if (job.status !== 'completed') throw new Error(`segments: the resumed job ended ${job.status}:\n${job.log}`);
      const { data } = await t.embedded.runtime.execute('getJobChildren', { id: state.jobId });
      const chunks = await Promise.all(data.filter((c) => c.type === 'encode_chunk').map((c) => t.embedded.runtime.execute('getJob', { id: c.id })));
      const crashed = chunks.filter((c) => /The runtime stopped while this job was running/.test(c.log));
      const redone = chunks.filter((c) => (c.log.match(/Started attempt \d+/g) ?? []).length > 1);
      const seconds = redone.reduce((s, c) => s + Number(c.params.durationSeconds), 0);
      return {
        metric: 'media.segments.resume_waste_ratio',
        value: seconds / CHUNK_SECONDS,
        unit: 'ratio',
        target: atMost(crashed.length),
        note:
          `${seconds.toFixed(2)} s of video encoded again after a kill -9 with ${state.done} of ${state.total} chunks done / chunk length ${CHUNK_SECONDS} s; ` +
          `${crashed.length} chunk(s) were running at the kill (the target), ${redone.length} had a second attempt; ` +
          `60-s 320x180 lossless libx264 veryslow, chunks of ${CHUNK_SECONDS} s, gpu_encode limit 2; load average ${loadAverage().toFixed(2)}`,
      };
    } finally {
      await t.close();
    }
  } finally {
    dir.cleanup();
  }
}

export async function benchSegments(): Promise<Metric[]> {
  return [await overhead(), await resumeWaste()];
}

/**
 * media.reencode.overhead_ratio: the wall time of a `reencode_streaming` job through the queue
 * (createJob → `completed` event) over the same ffmpeg arguments run directly, in the same run.
 *
 * One 20-s 640x360 25 fps clip with audio is made in <root>/videos and registered with a `scan`
 * job. The direct run uses the argument array the processor builds (buildReencodeArgs, same
 * encoder, crf, preset and bitrate cap), without the runner's `-progress pipe:3 -nostats`; the
 * job's logged command is checked to be that array with only the output path different (the
 * direct output is also named `*.partial.mp4`, so both get `-y`). Six rounds in ABBA order
 * (direct, queue | queue, direct | direct, queue …: a drift in load or clock speed hits both sides
 * alike) and every output is deleted after its run, so each job writes playback/<name>.mp4 again;
 * ratio = median(queue) / median(direct). The queue time includes, by
 * design, everything a job does around ffmpeg: claim, loading the input record, staging, the
 * rename into place, the ffprobe of the output and its registration in the library, and the DB
 * writes of progress, log and outcome. Diagnostics on stderr (not in the ratio): the job's phases
 * from its log timestamps, the CPU of ffmpeg in both runs, and an ffprobe of the direct output
 * alone (what the job's own probe of its output costs).
 */
import { rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { buildReencodeArgs, type VideoEncoding } from '../src/main/processors/media/ffmpeg-args';
import { makeClip } from '../src/main/processors/media/testing/clips';
import { partialPathFor } from '../src/main/processors/media/staged-output';
import { quoteForLog } from '../src/main/processors/steps/ffmpeg-step';
import type { MediaRuntime } from '../src/main/processors/testing/media-runtime';
import { ffprobeArgs } from '../src/main/processors/media/ffprobe';
import { cpuSince, cpuTimes, loadAverage, loggedAt, timeJob, timeTool, type TimedJob } from './media-job';
import { atMost, type Metric } from './report';
import { median, progress } from './support';

/** Even, so the ABBA order puts each side first equally often. */
export const REENCODE_ROUNDS = 6;
export const REENCODE_CLIP = { width: 640, height: 360, fps: 25, seconds: 20, audio: true } as const;
const CLIP_NAME = 'bench-640x360.mp4';
const QUALITY = { targetBitrate: 2000, preset: 'veryfast', crf: 23 } as const;
const JOB_TIMEOUT_MS = 120_000;

/** Where the job's time went, from its log lines' timestamps (ms since createJob). */
function breakdown(t: TimedJob): string {
  const at = {
    command: loggedAt(t, /^FFmpeg command:/),
    encoded: loggedAt(t, /^Progress: 100%/),
    output: loggedAt(t, /^Output:/),
    done: loggedAt(t, /^Re-encode completed/),
  };
  const span = (a: number | null, b: number | null) => (a === null || b === null ? '?' : `${Math.max(0, b - a).toFixed(0)}`);
  return (
    `claim ${t.startedAfterMs === null ? '?' : t.startedAfterMs.toFixed(0)} ms, ` +
    `prepare ${span(t.startedAfterMs, at.command)} ms, ffmpeg ${span(at.command, at.encoded)} ms, ` +
    `rename+register+ffprobe ${span(at.encoded, at.output)} ms, finish ${span(at.output, at.done)} ms, ` +
    `outcome recorded ${span(at.done, t.ms)} ms`
  );
}

export async function benchReencodeOverhead(m: MediaRuntime, rounds = REENCODE_ROUNDS): Promise<Metric[]> {
  const { embedded, root } = m;
  const tools = embedded.tools;
  if (!tools) throw new Error(`media: ffmpeg/ffprobe not found: ${embedded.toolsError ?? 'unknown'}`);

  progress(`media: making a ${REENCODE_CLIP.seconds}-s ${REENCODE_CLIP.width}x${REENCODE_CLIP.height} ${REENCODE_CLIP.fps} fps clip with audio and scanning it`);
  const input = await makeClip(join(root, 'videos'), CLIP_NAME, REENCODE_CLIP);
  await timeJob(m, 'scan', { directoryType: 'videos', skipExisting: true }, JOB_TIMEOUT_MS);
  const video = (await embedded.runtime.execute('listVideos', { search: CLIP_NAME, directoryType: 'videos' })).data.find((v) => v.filename === CLIP_NAME);
  if (!video || !video.valid) throw new Error(`media: the scan did not register ${CLIP_NAME} as a valid video`);

  const encoding: VideoEncoding = { encoder: embedded.encoders.preferred ?? 'libx264', crf: QUALITY.crf, preset: QUALITY.preset, targetBitrateKbps: QUALITY.targetBitrate };
  const jobOutput = join(root, 'playback', `${basename(CLIP_NAME, extname(CLIP_NAME))}.mp4`);
  const expectedCommand = `FFmpeg command: ${basename(tools.ffmpeg.path)} ${buildReencodeArgs({ input, output: partialPathFor(jobOutput), encoding }).map(quoteForLog).join(' ')}`;
  // A staged-style name, so the direct run gets `-y` like the job's partial output does.
  const directOutput = join(m.dir, 'direct-output.partial.mp4');
  const directArgs = buildReencodeArgs({ input, output: directOutput, encoding });

  const direct: number[] = [];
  const queued: TimedJob[] = [];
  const outside: number[] = [];
  const probeMs: number[] = [];
  const cpuText = (ms: number | null) => (ms === null ? '?' : `${(ms / 1000).toFixed(2)} s`);
  const runDirect = async (): Promise<string> => {
    const directCpu = cpuTimes();
    const d = await timeTool(tools.ffmpeg.path, directArgs);
    const dCpu = cpuSince(directCpu);
    direct.push(d.ms);
    // not timed into the ratio: what the job's ffprobe of its output costs on its own
    const probe = await timeTool(tools.ffprobe.path, ffprobeArgs(directOutput));
    probeMs.push(probe.ms);
    await rm(directOutput, { force: true });
    return `direct ${d.ms.toFixed(0)} ms (ffmpeg CPU ${cpuText(dCpu.childrenMs)}; ffprobe of its output ${probe.ms.toFixed(0)} ms)`;
  };
  const runQueue = async (): Promise<string> => {
    const jobCpu = cpuTimes();
    const q = await timeJob(m, 'reencode_streaming', { videoId: video.id, ...QUALITY }, JOB_TIMEOUT_MS);
    const qCpu = cpuSince(jobCpu);
    // the job's partial name carries its attempt (`name.<job8>-a<n>.partial.mp4`)
    const logged = q.job.log.split('\n').find((line) => line.includes('FFmpeg command: '))?.replace(/\.[0-9a-f]{8}-a\d+\.partial\./, '.partial.');
    if (!logged?.endsWith(expectedCommand)) {
      throw new Error(`media: the job ran a different ffmpeg command than the direct run.\n  job:      ${logged ?? '(none logged)'}\n  expected: ${expectedCommand}`);
    }
    queued.push(q);
    const command = loggedAt(q, /^FFmpeg command:/);
    const encoded = loggedAt(q, /^Progress: 100%/);
    if (command !== null && encoded !== null) outside.push(q.ms - (encoded - command));
    await rm(jobOutput, { force: true });
    return `queue ${q.ms.toFixed(0)} ms (${breakdown(q)}; CPU: children ${cpuText(qCpu.childrenMs)}, runtime ${cpuText(qCpu.selfMs)})`;
  };
  try {
    // ABBA: direct, queue | queue, direct | direct, queue … so a drift (load, thermal, cache) hits both sides alike
    for (let round = 1; round <= rounds; round++) {
      const directFirst = round % 2 === 1;
      const first = directFirst ? await runDirect() : await runQueue();
      const second = directFirst ? await runQueue() : await runDirect();
      progress(`media: reencode round ${round}/${rounds} (${directFirst ? 'direct first' : 'queue first'}): ${first}, ${second}; load average ${loadAverage().toFixed(2)}`);
    }
  } finally {
    await rm(directOutput, { force: true });
  }

  const directMedian = median(direct);
  const queueMedian = median(queued.map((q) => q.ms));
  const ratio = queueMedian / directMedian;
  const outsideMedian = outside.length > 0 ? median(outside) : null;
  const outsideText =
    outsideMedian === null
      ? ''
      : `; the job's time outside ffmpeg (claim, staging, rename, ffprobe of the output, registration, outcome) median ${outsideMedian.toFixed(0)} ms, ` +
        `of which an ffprobe of such an output alone takes ~${median(probeMs).toFixed(0)} ms`;
  progress(`media: reencode direct median ${directMedian.toFixed(0)} ms, queue median ${queueMedian.toFixed(0)} ms, ratio ${ratio.toFixed(3)}${outsideText}`);
  const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join('/');
  return [
    {
      metric: 'media.reencode.overhead_ratio',
      value: ratio,
      unit: 'ratio',
      target: atMost(1.05),
      note:
        `median queue ${queueMedian.toFixed(0)} ms / median direct ${directMedian.toFixed(0)} ms over ${rounds} rounds in ABBA order (direct, queue | queue, direct | …) ` +
        `(direct ${fmt(direct)} ms, queue ${fmt(queued.map((q) => q.ms))} ms); ${REENCODE_CLIP.seconds}-s ${REENCODE_CLIP.width}x${REENCODE_CLIP.height} ` +
        `${REENCODE_CLIP.fps} fps clip with audio, ${encoding.encoder} preset ${QUALITY.preset} crf ${QUALITY.crf} maxrate ${QUALITY.targetBitrate}k, same argument array; ` +
        `queue time is createJob → completed event and includes by design the claim, staging, the ffprobe of the output, its library registration and the DB writes${outsideText}`,
    },
  ];
}

/**
 * Library transcoding (issue #17), four metrics:
 *
 * media.transcode.overhead_ratio: the wall time of a `transcode` job in replace mode (createJob →
 * `completed` event) over the same ffmpeg encode run directly, in the same run, MKV in and out. A
 * 30-s 640x360 25 fps H.264 clip with audio (crf 18, so HEVC saves well over the 10 % a replace
 * needs) is the pristine source; each queue round replaces a fresh copy of it (registered by a
 * `scan` outside the timing), each direct round encodes the pristine file with the argument array
 * the processor builds (buildTranscodeArgs from the same probe, same encoder, crf and preset),
 * checked against the job's logged command. Rounds in ABBA order; ratio = median(queue) /
 * median(direct). The queue time includes, by design, the whole proof before the replace and the
 * journaled swap. For an MKV output the proof's full decode follows the file while the encode
 * writes it (decode-while-encoding.ts; each job is checked to have done so), so the job waits after
 * the encode only for the output's ffprobe and packet count and the original's frame count. The
 * note states that wait's share, the ratio without it, and the CPU ratio (steadier than wall time
 * on a shared machine) with and without the verification's CPU (its decode and ffprobe run again,
 * untimed, on each replaced file: the decode's CPU is spent either way, only its wait is hidden).
 *
 * media.transcode.overhead_ratio.mp4: the same with an MP4 clip, no target of its own: an MP4's
 * index is written last and moved to the front, so its full decode runs after the encode, and the
 * figure shows what that costs.
 *
 * media.transcode.overhead_ratio.10s: the MKV rounds again on a 10-s clip (what the target was
 * measured on until 2026-12-07), no target of its own: the job's fixed costs (two ffprobe starts on
 * the critical path, the decoder's and the frame count's starts beside the encoder) are the same
 * ~150-200 ms whatever the length, so this is where they weigh most; library files run minutes.
 *
 * media.transcode.skip_ms: createJob → `completed` of a transcode that needs nothing (the video is
 * already HEVC): the skip is decided from the library row, no tool runs. `force: true` lets the
 * same job be asked again (else it is refused as already processed, 409).
 */
import { copyFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadConfig } from '../src/main/runtime/config';
import { partialPathFor } from '../src/main/processors/media/staged-output';
import { quoteForLog } from '../src/main/processors/steps/ffmpeg-step';
import { startMediaRuntime, type MediaRuntime } from '../src/main/processors/testing/media-runtime';
import { encoderOrder } from '../src/main/processors/transcode/codec-encoders';
import { decodeArgs } from '../src/main/processors/transcode/proof';
import { parseStreams, streamProbeArgs } from '../src/main/processors/transcode/stream-probe';
import { buildTranscodeArgs, planStreams } from '../src/main/processors/transcode/transcode-args';
import { qualityFor } from '../src/main/processors/transcode/transcode-settings';
import { transcodeParams } from '../src/shared/domain/job-params';
import { cpuSince, cpuTimes, loadAverage, loggedAt, timeJob, timeTool, type TimedJob } from './media-job';
import { atMost, type Metric } from './report';
import { median, percentile, progress } from './support';

const run = promisify(execFile);
export const TRANSCODE_ROUNDS = 6;
export const SKIP_RUNS = 15;
const CLIP = { width: 640, height: 360, fps: 25 } as const;
/**
 * The target's clip length. Library files run minutes to hours; a job's fixed costs (the input's
 * ffprobe before the encode and the output's after it, ~60 ms each here, mostly the tools' start-up,
 * and the decoder's start) weigh on a short clip out of all proportion: the 10-s run beside it shows
 * how much.
 */
export const TARGET_CLIP_SECONDS = 30;
export const SHORT_CLIP_SECONDS = 10;
const JOB_TIMEOUT_MS = 300_000;

async function pristineClip(ffmpeg: string, path: string, seconds: number): Promise<void> {
  await run(ffmpeg, [
    '-hide_banner', '-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${CLIP.width}x${CLIP.height}:rate=${CLIP.fps}`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k', ...(path.endsWith('.mp4') ? ['-movflags', '+faststart'] : []), path,
  ]);
}

/**
 * The job's phases from its log, in ms: before the encode (claim, the input's ffprobe beside its
 * fingerprint, the stream plan), encode, verification (the output's ffprobe beside its full decode;
 * the original's frame count from its header), swap and outcome.
 */
function phases(t: TimedJob): { before: number | null; encode: number | null; verify: number | null; rest: number | null } {
  const command = loggedAt(t, /^FFmpeg command:/);
  const encoded = loggedAt(t, /^Progress: 100%/);
  const checked = loggedAt(t, /^Check frames:/);
  return {
    before: command,
    encode: command !== null && encoded !== null ? encoded - command : null,
    verify: encoded !== null && checked !== null ? checked - encoded : null,
    rest: checked !== null ? t.ms - checked : null,
  };
}

async function scanned(m: MediaRuntime, name: string): Promise<string> {
  await timeJob(m, 'scan', { directoryType: 'videos', skipExisting: true }, JOB_TIMEOUT_MS);
  const video = (await m.embedded.runtime.execute('listVideos', { search: name, directoryType: 'videos' })).data.find((v) => v.filename === name);
  if (!video?.valid) throw new Error(`media: the scan did not register ${name} as a valid video`);
  return video.id;
}

interface OverheadRun {
  readonly metric: Metric;
  readonly summary: string;
}

/**
 * One container's overhead rounds (ABBA): the job in replace mode vs the same encode run directly.
 * MKV: the proof's decode follows the output while it is written (decode-while-encoding.ts); MP4:
 * it runs after the encode (the index is written last).
 */
async function overheadRounds(m: MediaRuntime, container: 'mkv' | 'mp4', seconds: number, rounds: number, metric: string, target: Metric['target']): Promise<OverheadRun> {
  const { embedded, root } = m;
  const tools = embedded.tools!;
  const videos = join(root, 'videos');
  const pristine = join(m.dir, `transcode-pristine-${seconds}s.${container}`);
  progress(`media: making a ${seconds}-s ${CLIP.width}x${CLIP.height} ${container.toUpperCase()} clip for the transcode benchmark`);
  await pristineClip(tools.ffmpeg.path, pristine, seconds);

  // the default preset (medium), as a transcode without a preset runs; preset fast measured 1.15-1.24 (the verification's fixed share is larger against a faster encode)
  const asked = { codec: 'hevc', mode: 'replace', preset: 'medium', crf: 28 } as const;
  const params = transcodeParams.parse({ videoId: '3f2c6a1e-8b4d-4e2f-9a7c-5d1e0b9c4a11', ...asked });
  const encoder = encoderOrder('hevc', embedded.encoders.available)[0]!;
  const streams = parseStreams(pristine, JSON.parse((await timeTool(tools.ffprobe.path, streamProbeArgs(pristine))).stdout));
  const plan = planStreams(streams, params, container);
  const argsFor = (input: string, output: string) =>
    ['-v', 'error', ...buildTranscodeArgs({ input, output, container, encoder, quality: qualityFor(params, 'hevc', 'software'), preset: params.preset, audioBitrateKbps: params.audioBitrate, streams, plan })];
  const directOutput = join(m.dir, `direct.partial.${container}`);

  const direct: number[] = [];
  const queued: TimedJob[] = [];
  // CPU (this process + the tools it ran), less sensitive than wall time to the other work on the machine
  const directCpu: number[] = [];
  const queueCpu: number[] = [];
  // the verification's decode and ffprobe run again on each replaced file, untimed: the CPU the proof costs
  const verifyCpu: number[] = [];
  const cpuOf = (c: ReturnType<typeof cpuSince>) => c.selfMs + (c.childrenMs ?? 0);
  let n = 0;
  const runDirect = async (): Promise<string> => {
    const before = cpuTimes();
    const d = await timeTool(tools.ffmpeg.path, argsFor(pristine, directOutput));
    directCpu.push(cpuOf(cpuSince(before)));
    direct.push(d.ms);
    await rm(directOutput, { force: true });
    return `direct ${d.ms.toFixed(0)} ms`;
  };
  const runQueue = async (): Promise<string> => {
    const name = `transcode-${container}-${seconds}s-${++n}.${container}`;
    const input = join(videos, name);
    await copyFile(pristine, input);
    const videoId = await scanned(m, name);
    // every copy is the same content: force, or the second one is refused as already processed (409)
    const before = cpuTimes();
    const q = await timeJob(m, 'transcode', { videoId, ...asked, force: true }, JOB_TIMEOUT_MS);
    queueCpu.push(cpuOf(cpuSince(before)));
    const expected = `FFmpeg command: ${basename(tools.ffmpeg.path)} ${argsFor(input, partialPathFor(input)).map(quoteForLog).join(' ')}`;
    const logged = q.job.log.split('\n').find((l) => l.includes('FFmpeg command: '))?.replace(/\.[0-9a-f]{8}-a\d+\.partial\./, '.partial.');
    if (!logged?.endsWith(expected)) throw new Error(`media: the transcode job ran another command than the direct run.\n  job:      ${logged ?? '(none)'}\n  expected: ${expected}`);
    if (!/Outcome: replaced/.test(q.job.log)) throw new Error(`media: the transcode job did not replace its original:\n${q.job.log}`);
    const overlapped = /Check decode: passed — full decode while encoding/.test(q.job.log);
    if (overlapped !== (container === 'mkv')) throw new Error(`media: the ${container} transcode ${overlapped ? 'decoded while encoding' : 'did not decode while encoding'}:\n${q.job.log}`);
    queued.push(q);
    const before2 = cpuTimes();
    await Promise.all([timeTool(tools.ffmpeg.path, decodeArgs(input)), timeTool(tools.ffprobe.path, streamProbeArgs(input))]);
    verifyCpu.push(cpuOf(cpuSince(before2)));
    const p = phases(q);
    return `queue ${q.ms.toFixed(0)} ms (before the encode ${p.before?.toFixed(0) ?? '?'} ms, encode ${p.encode?.toFixed(0) ?? '?'} ms, verification ${p.verify?.toFixed(0) ?? '?'} ms, swap+outcome ${p.rest?.toFixed(0) ?? '?'} ms)`;
  };
  for (let round = 1; round <= rounds; round++) {
    const directFirst = round % 2 === 1;
    const first = directFirst ? await runDirect() : await runQueue();
    const second = directFirst ? await runQueue() : await runDirect();
    progress(`media: transcode ${container} ${seconds} s round ${round}/${rounds}: ${first}, ${second}; load average ${loadAverage().toFixed(2)}`);
  }
  const directMedian = median(direct);
  const queueMedian = median(queued.map((q) => q.ms));
  const verify = queued.map((q) => phases(q).verify).filter((v): v is number => v !== null);
  const verifyMedian = verify.length ? median(verify) : 0;
  const before = queued.map((q) => phases(q).before).filter((v): v is number => v !== null);
  const beforeMedian = before.length ? median(before) : 0;
  // the same job less its verification's wait, round by round: what the ratio would be without the proof's tail
  const unverified = queued.map((q) => q.ms - (phases(q).verify ?? 0));
  const load = loadAverage();
  const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join('/');
  const how =
    container === 'mkv'
      ? 'the full decode of the output ran WHILE the encode wrote it (decode-while-encoding.ts; every job checked to have done so), so what the job waits for after the encode is the output\'s ffprobe, its video packet count (which must equal the frames decoded) and the original\'s frame count'
      : 'the full decode of the output ran AFTER the encode (an MP4\'s index is written last and moved to the front: nothing can be decoded before the end), beside the output\'s ffprobe and the original\'s frame count from its header';
  return {
    summary: `${container} ${seconds} s direct median ${directMedian.toFixed(0)} ms, queue median ${queueMedian.toFixed(0)} ms`,
    metric: {
      metric,
      value: queueMedian / directMedian,
      unit: 'ratio',
      ...(target ? { target } : {}),
      note:
        `median queue ${queueMedian.toFixed(0)} ms / median direct ${directMedian.toFixed(0)} ms over ${rounds} rounds in ABBA order (direct ${fmt(direct)} ms, queue ${fmt(queued.map((q) => q.ms))} ms); ` +
        `${seconds}-s ${CLIP.width}x${CLIP.height} H.264 ${container.toUpperCase()} clip with audio → HEVC ${container.toUpperCase()}, ${encoder} preset ${params.preset} crf ${params.crf}, replace mode, same argument array; ` +
        `${how}: after the encode the proof took median ${verifyMedian.toFixed(0)} ms, ${((verifyMedian / queueMedian) * 100).toFixed(1)} % of the job (${fmt(verify)} ms); without that wait the ratio would be ${(median(unverified) / directMedian).toFixed(3)}; ` +
        `before the encode (claim, the input's ffprobe beside its fingerprint, the stream plan) median ${beforeMedian.toFixed(0)} ms; the rest is the journaled swap and the DB writes; ` +
        `CPU (this process and its tools): median job ${median(queueCpu).toFixed(0)} ms / direct ${median(directCpu).toFixed(0)} ms = ${(median(queueCpu) / median(directCpu)).toFixed(3)}, ` +
        `of which the verification's decode and ffprobe (run again on each replaced file) median ${median(verifyCpu).toFixed(0)} ms: without it ${((median(queueCpu) - median(verifyCpu)) / median(directCpu)).toFixed(3)}; ` +
        `load average ${load.toFixed(2)} at the end`,
    },
  };
}

export async function benchTranscode(m: MediaRuntime, rounds = TRANSCODE_ROUNDS): Promise<Metric[]> {
  const { embedded, root } = m;
  const tools = embedded.tools;
  if (!tools) throw new Error(`media: ffmpeg/ffprobe not found: ${embedded.toolsError ?? 'unknown'}`);
  const videos = join(root, 'videos');
  const mkv = await overheadRounds(m, 'mkv', TARGET_CLIP_SECONDS, rounds, 'media.transcode.overhead_ratio', atMost(1.1));
  // reported beside it, no target of its own: the same job where the decode cannot overlap the encode
  const mp4 = await overheadRounds(m, 'mp4', TARGET_CLIP_SECONDS, rounds, 'media.transcode.overhead_ratio.mp4', undefined);
  // and the short clip the target was measured on before: the fixed costs' share at their largest
  const short = await overheadRounds(m, 'mkv', SHORT_CLIP_SECONDS, rounds, 'media.transcode.overhead_ratio.10s', undefined);

  // a file that needs nothing: already HEVC
  progress(`media: timing ${SKIP_RUNS} transcodes that need nothing`);
  await run(tools.ffmpeg.path, ['-hide_banner', '-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-t', '2', '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', join(videos, 'already-hevc.mkv')]);
  const hevcId = await scanned(m, 'already-hevc.mkv');
  const skips: number[] = [];
  for (let i = 0; i < SKIP_RUNS; i++) {
    const s = await timeJob(m, 'transcode', { videoId: hevcId, codec: 'hevc', mode: 'replace', force: true }, JOB_TIMEOUT_MS);
    if (!/Outcome: skipped — already hevc/.test(s.job.log)) throw new Error(`media: the transcode of an HEVC file was not skipped:\n${s.job.log}`);
    skips.push(s.ms);
  }
  const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join('/');
  progress(`media: transcode ${mkv.summary}; ${mp4.summary}; ${short.summary}; skip median ${median(skips).toFixed(0)} ms`);
  return [
    mkv.metric,
    mp4.metric,
    short.metric,
    {
      metric: 'media.transcode.skip_ms',
      value: median(skips),
      unit: 'ms',
      target: atMost(200),
      note: `createJob → completed event of a transcode to HEVC of a file already HEVC (outcome skipped), median of ${SKIP_RUNS} (p95 ${percentile(skips, 95).toFixed(0)} ms; ${fmt(skips)} ms)`,
    },
  ];
}

/** The section of `npm run bench`: its own runtime (a library that transcodes replaces files). */
export async function benchMediaTranscode(): Promise<Metric[]> {
  // progress and log lines flushed at the production pace (the test helper's own default is 20 ms)
  const m = await startMediaRuntime({ limits: { cpu: 2, gpu_encode: 1, gpu_ai: 1 }, reportFlushMs: loadConfig({}).reportFlushMs });
  try {
    return await benchTranscode(m);
  } finally {
    await m.dispose();
  }
}

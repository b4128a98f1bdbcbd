/**
 * The optional quality check (`verifyQuality: { metric: "ssim" | "psnr", min }`): ffmpeg's own ssim
 * or psnr filter compares the output with the original on up to three sampled segments (at 10 %,
 * 45 % and 80 % of the video, up to 5 s each; a short video whole), the reference scaled to the
 * output's size when the transcode scaled it down. The mean over the segments must reach `min`.
 *
 * Where the ffmpeg found has libvmaf (Debian's 5.1 does not), VMAF is measured on the same segments
 * too and reported as an extra, informational check.
 */
import type { TranscodeCheck } from '../../../shared/contracts/transcode';
import { runProcess } from '../media/process-runner';
import type { JobContext } from '../processor';
import { runTracked } from '../steps/tracked-result';

export type QualityMetric = 'ssim' | 'psnr' | 'vmaf';

/** `SSIM … All:0.985 (18.3)` / `PSNR … average:39.9 …` / `VMAF score: 93.2`: the score of a filter's summary line. Pure. */
export function parseScore(metric: QualityMetric, lines: readonly string[]): number | null {
  const pattern = metric === 'ssim' ? /SSIM .*All:([\d.]+|inf)/ : metric === 'psnr' ? /PSNR .*average:([\d.]+|inf)/ : /VMAF score[:=]\s*([\d.]+)/;
  for (const line of [...lines].reverse()) {
    const m = pattern.exec(line);
    if (m) return m[1] === 'inf' ? Number.POSITIVE_INFINITY : Number(m[1]);
  }
  return null;
}

/** Where the samples start and how long they run, for a video of `duration` seconds. Pure. */
export function sampleSegments(duration: number): { start: number; length: number }[] {
  if (duration <= 6) return [{ start: 0, length: duration }];
  const length = Math.min(5, duration / 4);
  return [0.1, 0.45, 0.8].map((at) => ({ start: Math.min(duration - length, at * duration), length }));
}

function metricArgs(metric: QualityMetric, original: string, output: string, seg: { start: number; length: number }, size: { width: number; height: number }): string[] {
  const at = (n: number) => String(Math.round(n * 1000) / 1000);
  const filter = metric === 'vmaf' ? 'libvmaf' : metric;
  return [
    '-hide_banner', '-nostdin', '-nostats',
    '-ss', at(seg.start), '-t', at(seg.length), '-i', original,
    '-ss', at(seg.start), '-t', at(seg.length), '-i', output,
    '-lavfi', `[0:V:0]scale=${size.width}:${size.height}:flags=bicubic,format=yuv420p,setpts=PTS-STARTPTS[ref];[1:V:0]format=yuv420p,setpts=PTS-STARTPTS[dist];[dist][ref]${filter}`,
    '-an', '-f', 'null', '-',
  ];
}

async function measure(ctx: JobContext, ffmpegPath: string, metric: QualityMetric, original: string, output: string, duration: number, size: { width: number; height: number }): Promise<number | null> {
  const scores: number[] = [];
  for (const seg of sampleSegments(duration)) {
    const result = await runTracked(ctx, {
      command: ffmpegPath,
      args: metricArgs(metric, original, output, seg, size),
      signal: ctx.signal,
      killGraceMs: 1000,
      tailLines: 20,
      onActivity: () => ctx.heartbeat(),
    });
    if (result.cancelled) throw ctx.signal.reason ?? new Error('cancelled');
    const score = result.ok ? parseScore(metric, result.stderrTail) : null;
    if (score === null) return null;
    scores.push(score);
  }
  return scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
}

let vmafAvailable: Map<string, Promise<boolean>> | null = null;

/** Whether this ffmpeg has the libvmaf filter (asked once per ffmpeg). */
function hasVmaf(ffmpegPath: string): Promise<boolean> {
  vmafAvailable ??= new Map();
  let known = vmafAvailable.get(ffmpegPath);
  if (!known) {
    known = runProcess({ command: ffmpegPath, args: ['-hide_banner', '-nostdin', '-filters'], captureStdout: true, signal: AbortSignal.timeout(10_000) })
      .then((r) => r.ok && /\blibvmaf\b/.test(r.stdout))
      .catch(() => false);
    vmafAvailable.set(ffmpegPath, known);
  }
  return known;
}

const show = (metric: QualityMetric, v: number) => (metric === 'ssim' ? v.toFixed(4) : `${v.toFixed(2)}${metric === 'psnr' ? ' dB' : ''}`);

/** The quality check (and VMAF where available) of `output` against `original`, sized as the output. */
export async function qualityChecks(
  ctx: JobContext,
  ffmpegPath: string,
  ask: { readonly metric: 'ssim' | 'psnr'; readonly min: number },
  original: string,
  output: string,
  durationSeconds: number,
  outputSize: { width: number; height: number },
): Promise<TranscodeCheck[]> {
  const score = await measure(ctx, ffmpegPath, ask.metric, original, output, durationSeconds, outputSize);
  const checks: TranscodeCheck[] = [
    score === null
      ? { name: ask.metric, passed: false, detail: `${ask.metric.toUpperCase()} could not be measured` }
      : { name: ask.metric, passed: score >= ask.min, detail: `${ask.metric.toUpperCase()} ${show(ask.metric, score)} on ${sampleSegments(durationSeconds).length} sampled segment(s) (at least ${ask.min} needed)` },
  ];
  if (await hasVmaf(ffmpegPath)) {
    const vmaf = await measure(ctx, ffmpegPath, 'vmaf', original, output, durationSeconds, outputSize);
    if (vmaf !== null) checks.push({ name: 'vmaf', passed: true, detail: `VMAF ${show('vmaf', vmaf)} (informational)` });
  }
  return checks;
}

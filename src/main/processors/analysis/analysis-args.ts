/**
 * Pure FFmpeg argument builders of the analysis jobs (same rules as media/ffmpeg-args.ts:
 * argument arrays, `-nostdin`, `-y` only for staged partial outputs, safe file arguments).
 *
 * The analysis pass decodes the video once and writes per-frame metrics as text files with the
 * `metadata`/`ametadata` filters (frame-metrics.ts reads them). It runs in a working folder and
 * names those files relative to it, so no path ever needs filter-graph escaping. What keeps it
 * fast (bench: analysis.scene.realtime_factor):
 * - `-hwaccel auto`: a hardware decoder where there is one (silently software elsewhere);
 * - `-skip_loop_filter all`: no deblocking — invisible to a difference of downscaled frames, and
 *   a large share of H.264/HEVC decoding time; every frame is still decoded, so cuts stay exact;
 * - the frame is scaled down to 160 pixels wide (fast_bilinear: a fifth less CPU than bicubic
 *   on 720p; measured, cuts between lavfi sources score 18–25 on scdet's scale, steady movement
 *   and noise below 1, 4 on the frame after a cut; threshold 0.3 is 11.7) before the difference;
 * - `settb=AVTB` before printing: timestamps in microseconds (see frame-metrics.ts);
 * - `-an -sn -dn` unless loudness is wanted; the output is `-f null`.
 */
import { audioArgs, commonArgs, containerArgs, fileArg, resolveEncoding, type VideoEncoding } from '../media/ffmpeg-args';
import type { Detector } from './frame-metrics';

export const ANALYSIS_WIDTH = 160;

function seconds(value: number): string {
  return String(Math.round(value * 1_000_000) / 1_000_000);
}

/** A name for use inside a filter graph: plain characters only (no escaping needed). */
function plainName(name: string): string {
  if (!/^[\w.-]+$/.test(name)) throw new RangeError(`analysis file names must be plain (letters, digits, . _ -), got ${name}`);
  return name;
}

export interface AnalysisPassOptions {
  readonly input: string;
  readonly detector: Detector;
  /** File names relative to the folder ffmpeg runs in. */
  readonly scoresFile: string;
  /** `select` only: signalstats' YDIF per frame. */
  readonly motionFile?: string;
  /** ebur128 momentary loudness; omit for a video-only pass. */
  readonly loudnessFile?: string;
  readonly hwaccel?: boolean;
  readonly width?: number;
  /**
   * Also keep `fps` small JPEGs a second (`pattern` like `still-%d.jpg`, %d = pts in 1/fps units,
   * image2's `-frame_pts`): the scene images are then picked from them instead of seeking the
   * video again per scene (a seek decodes up to a whole GOP). Costs ~5 % of the pass.
   */
  readonly stills?: { readonly pattern: string; readonly fps: number; readonly width: number };
}

export function buildAnalysisArgs(o: AnalysisPassOptions): string[] {
  const scale = `scale=${Math.round(o.width ?? ANALYSIS_WIDTH)}:-2:flags=fast_bilinear`;
  const scores = plainName(o.scoresFile);
  const source = o.stills ? '[d]' : '[0:V:0]';
  const stills = o.stills ? `[0:V:0]split[d][s];[s]fps=${o.stills.fps},scale=${Math.round(o.stills.width)}:-2:flags=fast_bilinear[st];` : '';
  const video =
    stills +
    (o.detector === 'scdet'
      ? `${source}${scale},scdet=threshold=100,settb=AVTB,metadata=mode=print:file=${scores}[v]`
      : `${source}${scale},select='gte(scene,0)',settb=AVTB,metadata=mode=print:key=lavfi.scene_score:file=${scores},` +
        `signalstats,metadata=mode=print:key=lavfi.signalstats.YDIF:file=${plainName(o.motionFile ?? 'motion.txt')}[v]`);
  const graph = o.loudnessFile ? `${video};[0:a:0]ebur128=metadata=1,asettb=AVTB,ametadata=mode=print:key=lavfi.r128.M:file=${plainName(o.loudnessFile)}[a]` : video;
  return [
    '-hide_banner', '-nostdin', '-y',
    ...(o.hwaccel === false ? [] : ['-hwaccel', 'auto']),
    '-skip_loop_filter', 'all',
    '-i', fileArg(o.input),
    '-filter_complex', graph,
    '-map', '[v]',
    ...(o.loudnessFile ? ['-map', '[a]'] : ['-an']),
    '-sn', '-dn',
    '-f', 'null', '-',
    ...(o.stills ? ['-map', '[st]', '-f', 'image2', '-frame_pts', '1', '-q:v', '5', fileArg(o.stills.pattern)] : []),
  ];
}

export interface StillShot {
  readonly atSeconds: number;
  readonly output: string;
}

/** One JPEG per shot from one run: each shot is its own fast-seeking input (`-ss` before `-i`). */
export function buildStillsArgs(options: { input: string; shots: readonly StillShot[]; width?: number; qscale?: number }): string[] {
  if (options.shots.length === 0) throw new RangeError('no shots');
  const width = Math.round(options.width ?? 320);
  return [
    ...commonArgs(options.shots[0]!.output),
    ...options.shots.flatMap((s) => ['-ss', seconds(Math.max(0, s.atSeconds)), '-i', fileArg(options.input)]),
    ...options.shots.flatMap((s, i) => ['-map', `${i}:V:0`, '-frames:v', '1', '-vf', `scale=${width}:-2`, '-q:v', String(options.qscale ?? 5), '-update', '1', fileArg(s.output)]),
  ];
}

export interface TimeRange {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/**
 * The ranges one after another in one H.264/AAC file: each range is its own input, seeked to
 * (`-ss`, frame-accurate when transcoding) and bounded (`-t`), so a 60-s digest of a 2-hour film
 * decodes about 60 s, not 2 hours; the concat filter joins them.
 */
export function buildRangesArgs(options: { input: string; ranges: readonly TimeRange[]; hasAudio: boolean; output: string; encoding?: VideoEncoding }): string[] {
  const { ranges, hasAudio } = options;
  if (ranges.length === 0) throw new RangeError('no ranges');
  const enc = resolveEncoding(options.encoding);
  const graph = ranges.map((_, i) => `[${i}:V:0]setpts=PTS-STARTPTS[v${i}]` + (hasAudio ? `;[${i}:a:0]asetpts=PTS-STARTPTS[a${i}]` : '')).join(';');
  const pads = ranges.map((_, i) => (hasAudio ? `[v${i}][a${i}]` : `[v${i}]`)).join('');
  return [
    ...commonArgs(options.output),
    ...enc.inputArgs,
    ...ranges.flatMap((r) => ['-ss', seconds(r.startSeconds), '-t', seconds(r.endSeconds - r.startSeconds), '-i', fileArg(options.input)]),
    '-filter_complex', `${graph};${pads}concat=n=${ranges.length}:v=1:a=${hasAudio ? 1 : 0}[cat${hasAudio ? '][aout' : ''}];[cat]${enc.videoFilter}[vout]`,
    '-map', '[vout]',
    ...(hasAudio ? ['-map', '[aout]'] : []),
    ...enc.outputArgs,
    ...(hasAudio ? audioArgs() : []),
    '-max_muxing_queue_size', '1024',
    ...containerArgs(options.output),
    fileArg(options.output),
  ];
}

export type ClipMode =
  | { readonly copy: true; readonly reorderDelaySeconds: number; readonly frameSeconds: number; readonly toEnd: boolean }
  | { readonly copy: false; readonly encoding?: VideoEncoding };

/**
 * One range as its own file. Stream copy (start on a keyframe): the picture is read from one
 * input and the sound from a second one, both seeked to the keyframe's time rounded UP to the
 * microsecond (rounded down, the seek would land on the keyframe before; further up, ffmpeg would
 * keep the keyframe only as a hidden pre-roll frame). ffmpeg 5.1 ends a copied stream on DECODE
 * timestamps, which run behind presentation by the B-frame delay: the picture's duration is
 * shortened by that delay (measured on the end keyframe) and half a frame more, so the cut falls
 * between the last wanted packet and the next keyframe; the sound keeps the full duration.
 * Measured: a 1.0–3.0 s copy of a 25 fps file with B-frames holds exactly its 50 frames.
 * Re-encode: a frame-accurate seek and H.264/AAC.
 */
export function buildClipArgs(options: { input: string; range: TimeRange; hasAudio: boolean; output: string; mode: ClipMode }): string[] {
  const { range, mode } = options;
  const length = range.endSeconds - range.startSeconds;
  if (!(length > 0)) throw new RangeError(`empty range ${range.startSeconds}–${range.endSeconds}`);
  if (mode.copy) {
    const at = String(Math.ceil(range.startSeconds * 1_000_000 - 1e-6) / 1_000_000);
    const videoLength = mode.toEnd ? [] : ['-t', seconds(Math.max(0.001, length - mode.reorderDelaySeconds - mode.frameSeconds / 2))];
    return [
      ...commonArgs(options.output),
      '-ss', at, ...videoLength, '-i', fileArg(options.input),
      ...(options.hasAudio ? ['-ss', at, ...(mode.toEnd ? [] : ['-t', seconds(length)]), '-i', fileArg(options.input)] : []),
      '-map', '0:V:0',
      ...(options.hasAudio ? ['-map', '1:a:0'] : []),
      '-c', 'copy',
      ...containerArgs(options.output),
      fileArg(options.output),
    ];
  }
  const enc = resolveEncoding(mode.encoding);
  return [
    ...commonArgs(options.output),
    ...enc.inputArgs,
    '-ss', seconds(range.startSeconds), '-t', seconds(length), '-i', fileArg(options.input),
    '-map', '0:V:0', ...(options.hasAudio ? ['-map', '0:a:0'] : []),
    '-vf', enc.videoFilter,
    ...enc.outputArgs,
    ...(options.hasAudio ? audioArgs() : []),
    '-max_muxing_queue_size', '1024',
    ...containerArgs(options.output),
    fileArg(options.output),
  ];
}

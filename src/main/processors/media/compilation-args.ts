/**
 * Pure FFmpeg argument builders for multi-input compilations: a 2×2 quad and a near-square mega
 * grid (xstack), and a long concat (concat filter). Same rules as ffmpeg-args.ts.
 *
 * Inputs differ in size, frame rate, aspect, start time and in whether they have audio, so every
 * input is normalised first: scaled to fit a common cell and padded (letterbox), square pixels,
 * one frame rate, timestamps from zero, yuv420p; audio to 48 kHz stereo float. The caller passes
 * what ffprobe said (`hasAudio`, `durationSeconds`) because the graph must be known up front:
 * - quad/grid: the mix of the inputs that have audio (amix), or generated silence (anullsrc) when
 *   none has; `-t` bounds the output (an input that ends early freezes on its last frame);
 * - concat: each input without audio gets exactly its duration of silence, so the concat filter
 *   (`a=1`) keeps sound and picture in step.
 */
import {
  audioArgs,
  commonArgs,
  containerArgs,
  fileArg,
  resolveEncoding,
  type VideoEncoding,
} from './ffmpeg-args';

export interface CompilationInput {
  readonly path: string;
  readonly hasAudio: boolean;
  readonly durationSeconds: number;
}

interface CommonCompilationOptions {
  readonly output: string;
  /** Output frame rate. Default 30. */
  readonly fps?: number;
  readonly encoding?: VideoEncoding;
  readonly audioBitrateKbps?: number;
}

const AUDIO_FORMAT = 'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo';
const SILENCE = 'anullsrc=r=48000:cl=stereo';

function even(n: number): number {
  return Math.max(2, Math.floor(n / 2) * 2);
}

function secondsArg(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** One input's video chain, scaled and padded into a w×h cell. */
function normaliseVideo(index: number, w: number, h: number, fps: number): string {
  return (
    `[${index}:V:0]scale=${w}:${h}:force_original_aspect_ratio=decrease,` +
    `pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,fps=${fps},format=yuv420p,setpts=PTS-STARTPTS[v${index}]`
  );
}

function normaliseAudio(index: number): string {
  return `[${index}:a]${AUDIO_FORMAT},asetpts=PTS-STARTPTS[a${index}]`;
}

/** The audio chains for a stacked layout: a mix of what exists, or silence. */
function stackedAudio(inputs: readonly CompilationInput[]): string[] {
  const withAudio = inputs.flatMap((input, i) => (input.hasAudio ? [i] : []));
  if (withAudio.length === 0) return [`${SILENCE}[aout]`];
  const chains = withAudio.map(normaliseAudio);
  if (withAudio.length === 1) return [...chains, `[a${withAudio[0]}]anull[aout]`];
  const labels = withAudio.map((i) => `[a${i}]`).join('');
  return [...chains, `${labels}amix=inputs=${withAudio.length}:duration=longest:dropout_transition=0[aout]`];
}

function validateInputs(inputs: readonly CompilationInput[], min: number): void {
  if (inputs.length < min) throw new RangeError(`needs at least ${min} inputs, got ${inputs.length}`);
  for (const input of inputs) {
    if (!input.hasAudio && !(input.durationSeconds > 0)) throw new RangeError(`${input.path}: durationSeconds must be known for an input without audio`);
  }
}

function finish(options: CommonCompilationOptions, inputs: readonly CompilationInput[], graph: string[], stacked: string, durationSeconds: number | null): string[] {
  const enc = resolveEncoding(options.encoding);
  return [
    ...commonArgs(options.output),
    ...enc.inputArgs,
    ...inputs.flatMap((input) => ['-i', fileArg(input.path)]),
    '-filter_complex', [...graph, `[${stacked}]${enc.videoFilter}[vout]`].join(';'),
    '-map', '[vout]', '-map', '[aout]',
    ...enc.outputArgs,
    ...audioArgs(options.audioBitrateKbps),
    ...(durationSeconds !== null ? ['-t', secondsArg(durationSeconds)] : []),
    '-max_muxing_queue_size', '1024',
    ...containerArgs(options.output),
    fileArg(options.output),
  ];
}

export interface QuadOptions extends CommonCompilationOptions {
  readonly inputs: readonly CompilationInput[];
  /** Cell size; the output is twice as wide and twice as high. Default 640×360. */
  readonly cellWidth?: number;
  readonly cellHeight?: number;
  /** Output length; default the shortest input. */
  readonly durationSeconds?: number;
}

/** Four inputs in a 2×2 grid: top-left, top-right, bottom-left, bottom-right. */
export function buildQuadArgs(options: QuadOptions): string[] {
  if (options.inputs.length !== 4) throw new RangeError(`a quad needs exactly 4 inputs, got ${options.inputs.length}`);
  return buildStack(options, 2, 2, even(options.cellWidth ?? 640), even(options.cellHeight ?? 360));
}

export interface GridLayout {
  readonly columns: number;
  readonly rows: number;
}

/** The most square grid holding `count` cells (columns ≥ rows). */
export function gridLayout(count: number): GridLayout {
  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  return { columns, rows: Math.max(1, Math.ceil(count / columns)) };
}

export interface GridOptions extends CommonCompilationOptions {
  readonly inputs: readonly CompilationInput[];
  /** Output width (cells share it; 16:9 cells). Default 1920. */
  readonly width?: number;
  readonly durationSeconds?: number;
}

/** N inputs in a near-square grid; empty cells are black. */
export function buildGridArgs(options: GridOptions): string[] {
  const { columns, rows } = gridLayout(options.inputs.length);
  const cellWidth = even((options.width ?? 1920) / columns);
  return buildStack(options, columns, rows, cellWidth, even((cellWidth * 9) / 16));
}

function buildStack(options: QuadOptions | GridOptions, columns: number, rows: number, w: number, h: number): string[] {
  const { inputs } = options;
  validateInputs(inputs, 1);
  const fps = options.fps ?? 30;
  const graph = inputs.map((_, i) => normaliseVideo(i, w, h, fps));
  const cells = inputs.map((_, i) => `[v${i}]`);
  for (let i = inputs.length; i < columns * rows; i += 1) {
    graph.push(`color=c=black:s=${w}x${h}:r=${fps}[v${i}]`);
    cells.push(`[v${i}]`);
  }
  const layout = cells.map((_, i) => `${(i % columns) * w}_${Math.floor(i / columns) * h}`).join('|');
  graph.push(cells.length === 1 ? `[v0]null[stack]` : `${cells.join('')}xstack=inputs=${cells.length}:layout=${layout}[stack]`);
  graph.push(...stackedAudio(inputs));
  // The output must be bounded: generated silence and black cells never end by themselves.
  const duration = options.durationSeconds ?? Math.min(...inputs.map((input) => input.durationSeconds).filter((d) => d > 0));
  if (!(Number.isFinite(duration) && duration > 0)) throw new RangeError('durationSeconds must be given or known for some input');
  return finish(options, inputs, graph, 'stack', duration);
}

export interface ConcatOptions extends CommonCompilationOptions {
  readonly inputs: readonly CompilationInput[];
  /** Output frame size; each input is letterboxed into it. Default 1280×720. */
  readonly width?: number;
  readonly height?: number;
}

/** The inputs one after another, with sound throughout (silence where an input has none). */
export function buildConcatArgs(options: ConcatOptions): string[] {
  const { inputs } = options;
  validateInputs(inputs, 1);
  const fps = options.fps ?? 30;
  const w = even(options.width ?? 1280);
  const h = even(options.height ?? 720);
  const graph = inputs.flatMap((input, i) => [
    normaliseVideo(i, w, h, fps),
    input.hasAudio ? normaliseAudio(i) : `${SILENCE},atrim=duration=${secondsArg(input.durationSeconds)}[a${i}]`,
  ]);
  const pairs = inputs.map((_, i) => `[v${i}][a${i}]`).join('');
  graph.push(`${pairs}concat=n=${inputs.length}:v=1:a=1[cat][aout]`);
  return finish(options, inputs, graph, 'cat', null);
}

/** Expected output length of a concat (for progress). */
export function concatDurationSeconds(inputs: readonly CompilationInput[]): number {
  return inputs.reduce((sum, input) => sum + Math.max(0, input.durationSeconds), 0);
}

/**
 * Segment mode of `transcode` (#20): the parent job's two runs.
 *
 * Plan (no children yet): the keyframes of the input (one ffprobe demux pass), cut points near every
 * chunk length (cut-plan.ts), plan.json in the work folder, and in ONE store transaction the chunk
 * jobs, the audio job and the parent's wait (SegmentStore.handOff); the attempt then ends as a
 * hand-off (HandedToChildren: back to waiting, no retry spent, no slot held).
 *
 * Join (every child ended, or one failed): a chunk stopped by the live guard across chunks
 * (segment-guard.ts) makes the join return `guarded` (the transcode keeps the original); a child that failed or was cancelled fails the parent with its reason
 * (a retry of the parent retries that part only: runtime/segments/segment-cascade.ts); each chunk file is checked (frame count) and
 * only a missing or damaged one is encoded again; then the concat demuxer copies the chunks, the
 * audio and the original's subtitles, attachments, tags and chapters into the transcode's partial,
 * and the transcode goes on exactly as unsegmented: the same proof, the same publish or swap.
 *
 * The plan run is idempotent: a parent that already has children never inserts them again (a crash
 * between the hand-off and the attempt's end re-runs it as a join or a wait).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VideoRecord } from '../../core/library-ports';
import type { JobRecord, NewJob } from '../../core/ports';
import { newJobId } from '../../../shared/domain/job-ids';
import { fileArg } from '../media/ffmpeg-args';
import type { MediaTools } from '../media/tool-discovery';
import { JobError, type JobContext } from '../processor';
import type { MediaDeps } from '../steps/media-deps';
import { encoderOrder, familyOf, SOFTWARE_ENCODER, type TranscodeEncoderId } from '../transcode/codec-encoders';
import type { EncodeResult } from '../transcode/encode-step';
import type { MediaStreams } from '../transcode/stream-probe';
import type { StreamPlan } from '../transcode/transcode-args';
import { qualityFor, type Container, type TranscodeCodec, type TranscodeParams } from '../transcode/transcode-settings';
import type { AudioParams, ChunkParams } from './chunk-processors';
import { planCuts, SCENE_WINDOW, type Chunk } from './cut-plan';
import { HandedToChildren } from './hand-off';
import { reportAsJoin } from './join-progress';
import { runFfmpeg } from './run-ffmpeg';
import { GUARD_TRIPPED } from './segment-guard';
import { audioName, chunkName, probeChunk, probeFrameTimes, workDirOf } from './segment-files';
import type { SegmentStore } from '../../core/segment-ports';

/** `auto` splits inputs longer than this. */
export const AUTO_MIN_SECONDS = 600;
export const DEFAULT_CHUNK_SECONDS = 60;
/** How a parent's error starts when a part failed (its work folder is kept for a retry). */
export const PART_FAILED = 'A part of the segmented encode failed';

export interface SegmentInput {
  readonly segments: TranscodeParams['segments'];
  readonly codec: TranscodeCodec;
  /** How each chunk encodes (chunk-processors.ts): the transcode's arguments, or re-encode's H.264 ones. */
  readonly chunk: Pick<ChunkParams, 'recipe' | 'quality' | 'preset' | 'maxHeight' | 'targetBitrate'>;
  /** Whether the one-piece encode would start on a hardware encoder (`auto` then keeps one piece). */
  readonly hardwareFirst: boolean;
  /** A replace with the live guard on: the chunks project the output's size as they finish (segment-guard.ts). */
  readonly guard?: boolean;
  readonly audioBitrateKbps: number;
  /** Re-encode's audio is stereo. */
  readonly audioChannels?: number;
  readonly video: VideoRecord;
  readonly inputPath: string;
  readonly streams: MediaStreams;
  readonly plan: StreamPlan;
  readonly container: Container;
  readonly durationSeconds: number;
  readonly fingerprint: string;
  readonly tools: MediaTools;
}

/** The join, ready to run into the transcode's partial (it returns what an encode returns). */
export interface SegmentJoin {
  readonly encoder: TranscodeEncoderId;
  join(outputPath: string, progressRange: readonly [number, number]): Promise<EncodeResult>;
  /** The join's ffmpeg arguments into `outputPath` (for a step that runs and checks ffmpeg itself). */
  args(outputPath: string): string[];
}

interface PlanFile {
  readonly fingerprint: string;
  readonly chunkSeconds: number;
  readonly chunks: readonly Chunk[];
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The chunk length to use, or null for one encode. Pure. `auto` splits an input longer than
 * AUTO_MIN_SECONDS only when its encode would be software anyway, in a fleet too: chunks always
 * encode in the codec's software encoder (every chunk alike), so splitting an encode that would run
 * on a hardware encoder would make it many times slower, at other quality settings, however many
 * nodes share the parts. `{ seconds }` forces chunks whatever the encoder.
 */
export function chunkSecondsFor(segments: TranscodeParams['segments'], durationSeconds: number, hardwareFirst: boolean): number | null {
  if (segments === 'off') return null;
  if (typeof segments === 'object') return segments.seconds;
  return durationSeconds > AUTO_MIN_SECONDS && !hardwareFirst ? DEFAULT_CHUNK_SECONDS : null;
}

const partKey = (type: string, params: unknown) => (type === 'encode_audio' ? 'audio' : `chunk:${(params as ChunkParams).index}`);
const keyOf = (job: JobRecord) => partKey(job.type, job.params);
const labelOf = (job: JobRecord) => (job.type === 'encode_audio' ? 'the audio' : `chunk ${(job.params as ChunkParams).index + 1} of ${(job.params as ChunkParams).total}`);
const ENDED = new Set(['completed', 'failed', 'cancelled']);

function childJob(parent: JobRecord, type: 'encode_chunk' | 'encode_audio', params: ChunkParams | AudioParams, now: number): NewJob {
  return {
    id: newJobId(), type, params: params as unknown as Record<string, unknown>, priority: parent.priority, resourceCategory: parent.resourceCategory,
    vramRequired: 0, maxRetries: parent.maxRetries, createdAt: now, createdBy: parent.createdBy, parentJobId: parent.id, pipelineRunId: null,
  };
}

/** The params of the chunk job of plan chunk `c` (of `total`). */
function chunkParamsOf(parentJobId: string, s: SegmentInput, c: Chunk, total: number, guardAgainstBytes: number | null): ChunkParams {
  return {
    parentJobId, input: s.video.path, workDir: workDirOf(parentJobId), index: c.index, total, seekSeconds: c.seekSeconds, startSeconds: c.startSeconds, durationSeconds: c.durationSeconds, frames: c.frames,
    codec: s.codec, ...s.chunk, ...(guardAgainstBytes ? { guardAgainstBytes } : {}),
  };
}

/** The params of the audio job: every kept track, encoded as the unsegmented encode would. */
function audioParamsOf(parentJobId: string, s: SegmentInput): AudioParams {
  return {
    parentJobId, input: s.video.path, workDir: workDirOf(parentJobId), container: s.container, durationSeconds: s.durationSeconds,
    tracks: s.plan.audio.map((a) => ({ ...a })), bitrateKbps: s.audioBitrateKbps, ...(s.audioChannels ? { channels: s.audioChannels } : {}),
  };
}

/** The latest child of each part (a part encoded again has a newer job). */
function latestByPart(children: readonly JobRecord[]): Map<string, JobRecord> {
  const latest = new Map<string, JobRecord>();
  for (const c of children) if ((latest.get(keyOf(c))?.seq ?? -1) < c.seq) latest.set(keyOf(c), c);
  return latest;
}

async function handOff(ctx: JobContext, store: SegmentStore, children: readonly NewJob[], why: string): Promise<never> {
  const latest = latestByPart(await store.children(ctx.job.id));
  const replaced = new Set(children.map((c) => partKey(c.type, c.params)));
  const done = [...latest.values()].filter((c) => c.status === 'completed' && !replaced.has(keyOf(c))).length;
  const total = new Set([...latest.keys(), ...replaced]).size;
  const result = await store.handOff({ jobId: ctx.job.id, attempt: ctx.job.attempt }, children, `Encoding in parts: ${done} of ${total} done`);
  if (!result.applied) throw new JobError('This attempt no longer owns the job; its parts were not queued', true);
  throw new HandedToChildren(`${why}; waiting for ${result.pending} part job(s) without holding a slot (no retry spent)`);
}

/** The segment fields of a transcode's params: its codec's software encoder at its quality and preset. */
export function transcodeSegments(p: TranscodeParams, media: MediaDeps): Pick<SegmentInput, 'segments' | 'codec' | 'chunk' | 'hardwareFirst' | 'audioBitrateKbps' | 'guard'> {
  return {
    segments: p.segments, codec: p.codec, audioBitrateKbps: p.audioBitrate, guard: p.mode === 'replace' && p.liveGuard,
    chunk: { recipe: 'transcode', quality: qualityFor(p, p.codec, 'software'), preset: p.preset, ...(p.maxHeight ? { maxHeight: p.maxHeight } : {}) },
    hardwareFirst: familyOf(encoderOrder(p.codec, media.encoders.available)[0]!) !== 'software',
  };
}

/**
 * The segment stage of a transcode (or a re-encode): null to encode in one piece; a SegmentJoin when every part is
 * encoded; otherwise it queues parts and throws HandedToChildren.
 */
export async function segmentStage(ctx: JobContext, media: MediaDeps, store: SegmentStore | undefined, s: SegmentInput): Promise<SegmentJoin | null> {
  const children = store ? await store.children(ctx.job.id) : [];
  const workDir = workDirOf(ctx.job.id);
  const work = media.library.resolve(workDir);
  const encoder = SOFTWARE_ENCODER[s.codec];
  if (children.length === 0) {
    const chunkSeconds = chunkSecondsFor(s.segments, s.durationSeconds, s.hardwareFirst);
    if (chunkSeconds === null) return null;
    if (!store) {
      if (typeof s.segments === 'object') throw new JobError('Segment mode needs a job store that can hold chunk jobs, which this runtime has not', false);
      return null;
    }
    const [times, scenes] = await Promise.all([probeFrameTimes(ctx, s.tools.ffprobe.path, s.inputPath, s.streams.video.index), store.sceneCuts(s.video.id)]);
    const chunks = planCuts(times, chunkSeconds, scenes);
    if (scenes.length > 0) ctx.log(`Segment mode: ${scenes.length} scene cut(s) of the analysis considered as cut points (within ±${SCENE_WINDOW * 100} % of the chunk length of a planned cut)`);
    if (chunks.length < 2) {
      ctx.log(`Segment mode: no keyframe to cut at near every ${chunkSeconds} s; encoding in one piece`);
      return null;
    }
    await mkdir(work, { recursive: true });
    const planFile: PlanFile = { fingerprint: s.fingerprint, chunkSeconds, chunks };
    await writeFile(join(work, 'plan.json'), JSON.stringify(planFile, null, 1));
    const now = Date.now();
    const guardAgainstBytes = s.guard ? (await stat(s.inputPath)).size : null;
    const jobs = chunks.map((c) => childJob(ctx.job, 'encode_chunk', chunkParamsOf(ctx.job.id, s, c, chunks.length, guardAgainstBytes), now));
    if (s.plan.audio.length > 0) jobs.push(childJob(ctx.job, 'encode_audio', audioParamsOf(ctx.job.id, s), now));
    ctx.log(`Segment mode: ${chunks.length} chunks of about ${chunkSeconds} s cut at keyframes (${chunks.map((c) => c.frames).join(', ')} frames), encoded with ${encoder}${s.plan.audio.length > 0 ? ', the audio once' : ''}; work folder ${workDir}`);
    return handOff(ctx, store, jobs, `Handed to ${jobs.length} part job(s)`);
  }

  // join run: every part has a job; its latest one tells whether it is done
  const parts = latestByPart(children);
  const ended = [...parts.values()].filter((c) => c.status === 'failed' || c.status === 'cancelled');
  const now = Date.now();
  // the live guard across chunks tripped: the original stays (the transcode records kept_original); the parts not done are cancelled with the parent's end
  const guarded = ended.find((c) => c.status === 'failed' && c.lastError?.startsWith(GUARD_TRIPPED));
  if (guarded) {
    const reason = guarded.lastError!.slice(GUARD_TRIPPED.length + 2);
    ctx.log(`Segment mode: ${labelOf(guarded)} stopped the encode: ${reason}`);
    return { encoder, args: () => [], join: async () => ({ kind: 'guarded', encoder, reason }) };
  }
  // a retry of the parent re-queues these first (runtime/segments/segment-cascade.ts)
  if (ended[0]) throw new JobError(`${PART_FAILED}: ${labelOf(ended[0])} ${ended[0].status} (job ${ended[0].id}): ${ended[0].lastError ?? 'cancelled'}`, false);
  const open = [...parts.values()].filter((c) => !ENDED.has(c.status));
  if (open.length > 0) return handOff(ctx, store!, [], `${open.length} part(s) still running`);
  const plan = JSON.parse(await readFile(join(work, 'plan.json'), 'utf8').catch(() => 'null')) as PlanFile | null;
  if (plan && plan.fingerprint !== s.fingerprint) throw new JobError('The original changed while its chunks were encoded; its chunks cannot be joined', false);
  const known = [...parts.values()].filter((c) => c.type === 'encode_chunk').map((c) => c.params as unknown as ChunkParams).sort((a, b) => a.index - b.index);
  // every index of the plan is joined: a part whose row is gone (retention, a hand edit) is checked
  // from its file and encoded again when that is missing, never left out of the concat
  const guardBytes = known[0]?.guardAgainstBytes ?? (s.guard ? (await stat(s.inputPath)).size : null);
  const chunks = plan ? plan.chunks.map((c) => known.find((k) => k.index === c.index) ?? chunkParamsOf(ctx.job.id, s, c, plan.chunks.length, guardBytes)) : known;
  const total = known[0]?.total ?? 0;
  if (!plan && (chunks.length !== total || chunks.some((c, i) => c.index !== i))) throw new JobError(`The work folder's plan.json is gone and ${total - chunks.length} chunk job(s) with it; the chunks cannot be joined`, false);
  const audio = (parts.get('audio')?.params as unknown as AudioParams | undefined) ?? (s.plan.audio.length > 0 ? audioParamsOf(ctx.job.id, s) : undefined);
  const redo: NewJob[] = [];
  // demux-only probes, a few at a time (one after the other they cost more than the concat)
  const found = await mapLimit(chunks, 4, (c) => probeChunk(ctx, s.tools.ffprobe.path, join(work, chunkName(c.index))));
  for (const [i, c] of chunks.entries()) {
    const got = found[i];
    if (got?.frames !== c.frames) {
      ctx.log(`Chunk ${c.index + 1} of ${c.total}: ${got ? `${got.frames} frames, ${c.frames} expected` : 'missing or unreadable'}; encoding it again`);
      redo.push(childJob(ctx.job, 'encode_chunk', c, now));
    }
  }
  if (audio && !existsSync(join(work, audioName(audio.container)))) redo.push(childJob(ctx.job, 'encode_audio', audio, now));
  if (redo.length > 0) return handOff(ctx, store!, redo, `${redo.length} part(s) missing or damaged`);
  ctx.log(`Segment mode: all ${chunks.length} chunks checked (${chunks.reduce((n, c) => n + c.frames, 0)} frames); joining them`);

  // each chunk's duration stated: the next one starts exactly where the source's next keyframe was
  // (an MP4 chunk's own duration can be off by its B-frame delay, which would add a gap at each seam)
  const list = join(work, 'concat.txt');
  await writeFile(list, `ffconcat version 1.0\n${chunks.map((c) => `file '${chunkName(c.index)}'\nduration ${c.durationSeconds.toFixed(6)}\n`).join('')}`);
  const args = (outputPath: string) => joinArgs(s, list, audio ? join(work, audioName(audio.container)) : null, outputPath);
  // from here on this attempt is the join: its progress continues from the parts' share, never back to 0 %
  reportAsJoin(ctx);
  return {
    encoder,
    args,
    async join(outputPath, progressRange) {
      const { errors } = await runFfmpeg(ctx, s.tools.ffmpeg.path, args(outputPath), s.durationSeconds, progressRange);
      return { kind: 'encoded', encoder, errors };
    },
  };
}

/** The join: chunks (stream copy) + the audio file + the original's other kept streams, tags and chapters, as the unsegmented output has them. Pure. */
export function joinArgs(s: Pick<SegmentInput, 'plan' | 'container' | 'inputPath' | 'codec'>, list: string, audio: string | null, output: string): string[] {
  const original = audio ? 2 : 1;
  const hevc = s.codec === 'hevc';
  return [
    '-hide_banner', '-nostdin', '-y',
    '-f', 'concat', '-safe', '0', '-i', fileArg(list),
    ...(audio ? ['-i', fileArg(audio)] : []),
    '-i', fileArg(s.inputPath),
    '-map', '0:v:0',
    ...s.plan.audio.flatMap((_, i) => ['-map', `1:a:${i}`]),
    ...s.plan.subtitles.flatMap((t) => ['-map', `${original}:${t.index}`]),
    ...(s.plan.attachments ? ['-map', `${original}:t?`] : []),
    '-map_metadata', String(original), '-map_chapters', String(original),
    '-c', 'copy',
    ...s.plan.subtitles.flatMap((t, i) => [`-c:s:${i}`, t.codec]),
    ...(s.container === 'mp4' ? ['-movflags', '+faststart', ...(hevc ? ['-tag:v', 'hvc1'] : [])] : []),
    '-max_muxing_queue_size', '4096',
    fileArg(output),
  ];
}

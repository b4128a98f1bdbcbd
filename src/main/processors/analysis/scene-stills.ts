/**
 * One JPEG per scene (320 wide) into thumbnails/scenes/<video id>/scene-NNN.jpg: the sample the
 * analysis pass kept (video-analysis.ts, `stills`) nearest the scene's middle, copied; a scene
 * too short to hold a sample gets its middle frame by seeking, 16 scenes per ffmpeg run (each a
 * fast-seeking input of its own; a seek decodes from the keyframe before, up to a GOP). Images a
 * previous run left (more scenes then) are removed, so the folder matches the stored scenes.
 *
 * The stills are the one library output a job type replaces in place: the folder belongs to the
 * video and mirrors its stored scenes, so a re-run writes `scene-001.jpg` again. Each still is
 * still written under its attempt's own partial name, verified as an image and published by a
 * fenced rename (a whole file, never a half-written one); a fenced attempt publishes nothing more.
 */
import { copyFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobContext } from '../processor';
import type { InputVideo } from '../steps/input-videos';
import { requireTools, type MediaDeps } from '../steps/media-deps';
import { buildStillsArgs } from './analysis-args';
import type { StillSample } from './video-analysis';
import { runFfmpegToLibrary } from '../steps/ffmpeg-outputs-step';
import { isPartialPath } from '../media/staged-output';
import { LibraryOutput } from '../steps/publish-output';
import { outputFailure } from '../steps/output-failure';
import { verifyOutput } from '../steps/verify-output';

const BATCH = 16;
export const STILL_WIDTH = 320;

export interface StillTarget {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/** Where the still of a scene is taken: its middle, never on or past its last frame. Pure. */
export function stillTime(scene: StillTarget, frameSeconds: number): number {
  const middle = (scene.startSeconds + scene.endSeconds) / 2;
  return Math.max(scene.startSeconds, Math.min(middle, scene.endSeconds - frameSeconds));
}

/**
 * The kept sample for each scene: inside it by at least half a frame at both ends (the sample is
 * the frame nearest its tick), nearest the middle; null when none is. Pure.
 */
export function pickSamples(scenes: readonly StillTarget[], samples: readonly StillSample[], frameSeconds: number): (StillSample | null)[] {
  return scenes.map((scene) => {
    const middle = (scene.startSeconds + scene.endSeconds) / 2;
    let best: StillSample | null = null;
    for (const sample of samples) {
      if (sample.t < scene.startSeconds + frameSeconds / 2 || sample.t > scene.endSeconds - frameSeconds / 2) continue;
      if (!best || Math.abs(sample.t - middle) < Math.abs(best.t - middle)) best = sample;
    }
    return best;
  });
}

/** Writes the stills; returns their library-relative paths, in scene order. */
export async function writeSceneStills(
  ctx: JobContext,
  deps: MediaDeps,
  input: InputVideo,
  scenes: readonly StillTarget[],
  options: { frameSeconds: number; samples: readonly StillSample[]; progressRange: readonly [number, number] },
): Promise<string[]> {
  const tools = requireTools(deps);
  const relativeFolder = `thumbnails/scenes/${input.record.id}`;
  const folder = deps.library.resolve(relativeFolder);
  const names = scenes.map((_, i) => `scene-${String(i + 1).padStart(3, '0')}.jpg`);
  const picked = pickSamples(scenes, options.samples, options.frameSeconds);
  const commit = (file: { relativePath: string }) => ctx.files.commit(file.relativePath).then((ok) => (ok ? true : null));
  for (const [i, sample] of picked.entries()) {
    if (!sample) continue;
    const staged = await LibraryOutput.stage(ctx, deps.library, join(folder, names[i]!), { onExisting: 'overwrite' });
    try {
      await copyFile(sample.path, staged.partialPath).catch((error: unknown) => {
        throw outputFailure(error, staged.relativePath);
      });
      await verifyOutput(ctx, tools, staged.partialPath, staged.relativePath, { kind: 'image', width: STILL_WIDTH });
      await staged.publish(commit);
    } finally {
      await staged.discard();
    }
  }
  const seeks = scenes.flatMap((scene, i) => (picked[i] ? [] : [{ at: stillTime(scene, options.frameSeconds), output: join(folder, names[i]!) }]));
  const [from, to] = options.progressRange;
  for (let first = 0; first < seeks.length; first += BATCH) {
    ctx.signal.throwIfAborted();
    const batch = seeks.slice(first, first + BATCH);
    await runFfmpegToLibrary(ctx, {
      ffmpegPath: tools.ffmpeg.path,
      library: deps.library,
      tools,
      outputs: batch.map((b) => ({ path: b.output, check: { kind: 'image', width: STILL_WIDTH }, onExisting: 'overwrite' as const })),
      durationSeconds: null,
      logProgress: false,
      progressRange: [from + ((to - from) * first) / seeks.length, from + ((to - from) * (first + batch.length)) / seeks.length],
      args: (partials) => buildStillsArgs({ input: input.absolutePath, shots: batch.map((b, k) => ({ atSeconds: b.at, output: partials[k]! })) }),
    });
  }
  const keep = new Set(names);
  for (const entry of await readdir(folder).catch(() => [] as string[])) {
    // never a partial: another attempt may be writing it (recovery removes those of dead attempts)
    if (entry.endsWith('.jpg') && !keep.has(entry) && !isPartialPath(entry)) await rm(join(folder, entry), { force: true });
  }
  ctx.log(`Wrote ${names.length} scene image(s) into ${relativeFolder}/ (${names.length - seeks.length} from the analysis pass, ${seeks.length} by seeking)`);
  return names.map((n) => `${relativeFolder}/${n}`);
}

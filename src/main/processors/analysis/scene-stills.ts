/**
 * One JPEG per scene (its middle frame, 320 wide) into thumbnails/scenes/<video id>/scene-NNN.jpg,
 * 16 scenes per ffmpeg run (each a fast-seeking input of its own). Images a previous run left
 * (more scenes then) are removed, so the folder always matches the stored scenes.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobContext } from '../processor';
import type { InputVideo } from '../steps/input-videos';
import { requireTools, type MediaDeps } from '../steps/media-deps';
import { buildStillsArgs } from './analysis-args';
import { runFfmpegOutputs } from './ffmpeg-outputs-step';

const BATCH = 16;

export interface StillTarget {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/** Where the still of a scene is taken: its middle, never on or past its last frame. Pure. */
export function stillTime(scene: StillTarget, frameSeconds: number): number {
  const middle = (scene.startSeconds + scene.endSeconds) / 2;
  return Math.max(scene.startSeconds, Math.min(middle, scene.endSeconds - frameSeconds));
}

/** Writes the stills; returns their library-relative paths, in scene order. */
export async function writeSceneStills(ctx: JobContext, deps: MediaDeps, input: InputVideo, scenes: readonly StillTarget[], options: { frameSeconds: number; progressRange: readonly [number, number] }): Promise<string[]> {
  const tools = requireTools(deps);
  const relativeFolder = `thumbnails/scenes/${input.record.id}`;
  const folder = deps.library.resolve(relativeFolder);
  const names = scenes.map((_, i) => `scene-${String(i + 1).padStart(3, '0')}.jpg`);
  const [from, to] = options.progressRange;
  for (let first = 0; first < scenes.length; first += BATCH) {
    ctx.signal.throwIfAborted();
    const batch = scenes.slice(first, first + BATCH).map((scene, k) => ({ at: stillTime(scene, options.frameSeconds), output: join(folder, names[first + k]!) }));
    await runFfmpegOutputs(ctx, {
      ffmpegPath: tools.ffmpeg.path,
      outputs: batch.map((b) => b.output),
      durationSeconds: null,
      logProgress: false,
      progressRange: [from + ((to - from) * first) / scenes.length, from + ((to - from) * (first + batch.length)) / scenes.length],
      args: (partials) => buildStillsArgs({ input: input.absolutePath, shots: batch.map((b, k) => ({ atSeconds: b.at, output: partials[k]! })) }),
    });
  }
  const keep = new Set(names);
  for (const entry of await readdir(folder).catch(() => [] as string[])) {
    if (entry.endsWith('.jpg') && !keep.has(entry)) await rm(join(folder, entry), { force: true });
  }
  ctx.log(`Wrote ${names.length} scene image(s) into ${relativeFolder}/`);
  return names.map((n) => `${relativeFolder}/${n}`);
}

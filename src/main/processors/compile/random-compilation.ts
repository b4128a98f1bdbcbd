/**
 * `compile_random`: the spec's criteria (count, duration range, orientation) pick valid library
 * videos at random — reproducibly when a `seed` is given — and they are joined one after another.
 */
import { buildConcatArgs, concatDurationSeconds } from '../media/compilation-args';
import { jobIdToken } from '../../../shared/domain/job-ids';
import { JobError, type Processor } from '../processor';
import { loadInputVideos } from '../steps/input-videos';
import type { MediaDeps } from '../steps/media-deps';
import { compilationInputs, renderCompilation } from './compilation';
import { pickRandom, seededRandom } from './random-selection';

interface RandomParams {
  count: number;
  minDuration: number;
  maxDuration?: number;
  orientation: 'landscape' | 'portrait' | 'square' | 'any';
  seed?: number;
  outputPath?: string;
  verify?: 'decode';
}

export function randomCompilationProcessor(deps: MediaDeps): Processor {
  return {
    async run(ctx) {
      const p = ctx.job.params as unknown as RandomParams;
      const candidates = await deps.videos.listVideoIds(
        {
          valid: true,
          missing: false,
          minDuration: p.minDuration,
          ...(p.maxDuration !== undefined ? { maxDuration: p.maxDuration } : {}),
          ...(p.orientation !== 'any' ? { orientation: p.orientation } : {}),
        },
        100_000,
      );
      if (candidates.length === 0) throw new JobError('No valid videos match the criteria (duration range and orientation).', false);
      const seed = p.seed ?? Math.floor(Math.random() * 2 ** 31);
      const chosen = pickRandom(candidates, p.count, seededRandom(seed));
      ctx.log(`Chose ${chosen.length} of ${candidates.length} matching video(s) with seed ${seed}${chosen.length < p.count ? ` (fewer than the ${p.count} asked for)` : ''}`);
      const inputs = await loadInputVideos(ctx, deps, chosen);
      await renderCompilation(ctx, deps, {
        inputs,
        outputPath: p.outputPath ?? null,
        defaultName: `random-${jobIdToken(ctx.job.id)}.mp4`,
        decodeCheck: p.verify === 'decode',
        durationSeconds: concatDurationSeconds(compilationInputs(inputs)),
        buildArgs: (sources, output, encoding) => buildConcatArgs({ inputs: sources, output, encoding }),
      });
    },
  };
}

/**
 * `compile_quad` (four videos in a 2×2 grid) and `compile_mega` (many videos in a near-square
 * grid, or one after another with layout "concat"). Inputs of any size, frame rate, aspect or
 * audio are normalised by the graph builders.
 */
import { buildConcatArgs, buildGridArgs, buildQuadArgs, concatDurationSeconds } from '../media/compilation-args';
import { jobIdToken } from '../../../shared/domain/job-ids';
import type { Processor } from '../processor';
import { loadInputVideos } from '../steps/input-videos';
import type { MediaDeps } from '../steps/media-deps';
import { compilationInputs, renderCompilation } from './compilation';

export function quadProcessor(deps: MediaDeps): Processor {
  return {
    async run(ctx) {
      const p = ctx.job.params as { videoIds: string[]; outputPath?: string; verify?: 'decode' };
      const inputs = await loadInputVideos(ctx, deps, p.videoIds);
      await renderCompilation(ctx, deps, {
        inputs,
        outputPath: p.outputPath ?? null,
        defaultName: `quad-${jobIdToken(ctx.job.id)}.mp4`,
        decodeCheck: p.verify === 'decode',
        durationSeconds: Math.min(...inputs.map((i) => i.durationSeconds)),
        buildArgs: (sources, output, encoding) => buildQuadArgs({ inputs: sources, output, encoding }),
      });
    },
  };
}

export function megaProcessor(deps: MediaDeps): Processor {
  return {
    async run(ctx) {
      const p = ctx.job.params as { videoIds: string[]; layout: 'grid' | 'concat'; outputPath?: string; verify?: 'decode' };
      const inputs = await loadInputVideos(ctx, deps, p.videoIds);
      const concat = p.layout === 'concat';
      await renderCompilation(ctx, deps, {
        inputs,
        outputPath: p.outputPath ?? null,
        defaultName: `mega-${p.layout}-${jobIdToken(ctx.job.id)}.mp4`,
        decodeCheck: p.verify === 'decode',
        durationSeconds: concat ? concatDurationSeconds(compilationInputs(inputs)) : Math.min(...inputs.map((i) => i.durationSeconds)),
        buildArgs: (sources, output, encoding) => (concat ? buildConcatArgs({ inputs: sources, output, encoding }) : buildGridArgs({ inputs: sources, output, encoding })),
      });
    },
  };
}

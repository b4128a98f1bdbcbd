/**
 * A runtime in its own process for the partial-recovery crash test: its jobs write library outputs
 * through the real staging and publishing code and then stop where the params say —
 *   { name, stopAt: 'written' }   the partial is written, never published
 *   { name, stopAt: 'record' }    linked to its final name, the fenced record never comes
 * — prints RUNNING with the job ids once every one has stopped there, then waits for SIGKILL.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LibraryPaths } from '../../library/library-paths';
import type { Processor } from '../../processors/processor';
import { LibraryOutput } from '../../processors/steps/publish-output';
import { startTestRuntime, waitFor } from './test-runtime';

const dir = process.argv[2]!;
const library = new LibraryPaths(join(dir, 'library'));
library.ensureDirectories();
const stopped = new Set<string>();
const forever = () => new Promise<never>(() => {});

const writer: Processor = {
  async run(ctx) {
    const { name, stopAt } = ctx.job.params as { name: string; stopAt: 'written' | 'record' };
    const output = await LibraryOutput.stage(ctx, library, library.resolve(`playback/${name}`));
    await writeFile(output.partialPath, `written by ${ctx.job.id}`);
    if (stopAt === 'written') {
      stopped.add(ctx.job.id);
      return forever();
    }
    await output.publish(async () => {
      stopped.add(ctx.job.id);
      return forever();
    });
  },
};

const t = await startTestRuntime({ dir, processor: writer, config: { libraryPath: library.root, limits: { cpu: 3, gpu_encode: 1, gpu_ai: 1 } } });
const jobs = [
  { params: { name: 'a.mp4', stopAt: 'written' } },
  { params: { name: 'b.mp4', stopAt: 'record' } },
  { params: { name: 'c.mp4', stopAt: 'written' }, maxRetries: 0 },
];
const ids: string[] = [];
for (const j of jobs) ids.push((await t.runtime.execute('createJob', { type: 'scan', ...j })).id);
await waitFor(() => stopped.size === ids.length, 10_000, 'every job stopped where asked');
process.stdout.write(`RUNNING ${JSON.stringify({ ids })}\n`);
setInterval(() => {}, 1000);

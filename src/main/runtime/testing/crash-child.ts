/**
 * A runtime in its own process for the crash test: creates jobs that sleep, prints RUNNING when
 * the first ones run, then waits to be killed with SIGKILL.
 */
import { startTestRuntime, waitFor } from './test-runtime';

const dir = process.argv[2]!;
const count = Number(process.argv[3] ?? 12);
const t = await startTestRuntime({ dir, config: { limits: { cpu: 3, gpu_encode: 1, gpu_ai: 1 } } });
const ids: string[] = [];
for (let i = 0; i < count; i++) {
  const job = await t.runtime.execute('createJob', { type: i % 4 === 0 ? 'reencode_streaming' : 'scan', params: { sleepMs: i < 2 ? 50 : 60_000 } });
  ids.push(job.id);
}
await waitFor(async () => (await t.runtime.execute('getStats', {})).completed >= 2 && t.runtime.runningJobIds().length >= 3, 10_000, 'jobs running');
process.stdout.write(`RUNNING ${JSON.stringify({ ids, running: t.runtime.runningJobIds() })}\n`);
setInterval(() => {}, 1000);

/**
 * Fleet node A of the segment fleet test, in its own process: the real processors on the shared
 * PostgreSQL database and the shared library (its own data folder). It takes chunks of the
 * segmented transcode node B created, and prints `RUNNING_CHUNK {running}` once it has finished a
 * chunk and runs another (the ids of the chunks it runs then), then waits for its SIGKILL.
 */
import { join } from 'node:path';
import { openTranscodeRuntime } from '../../transcode/testing/transcode-runtime';

const [dir, databaseUrl] = [process.argv[2]!, process.argv[3]!];
const fleet = { leaseMs: 3_000, heartbeatMs: 500, sweepMs: 500, pollMs: 500 };
const t = await openTranscodeRuntime(dir, { databaseUrl, nodeId: 'node-a', dataDir: join(dir, 'data-a'), limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 }, fleet });
for (;;) {
  const parent = (await t.embedded.runtime.execute('listJobs', { type: 'transcode', limit: 5 })).data[0];
  if (parent) {
    const { data } = await t.embedded.runtime.execute('getJobChildren', { id: parent.id });
    const mine = data.filter((c) => c.nodeId === 'node-a');
    const running = mine.filter((c) => c.status === 'running' && c.type === 'encode_chunk');
    if (mine.some((c) => c.status === 'completed') && running.length > 0) {
      process.stdout.write(`RUNNING_CHUNK ${JSON.stringify({ running: running.map((c) => c.id) })}\n`);
      break;
    }
  }
  await new Promise((r) => setTimeout(r, 20));
}
setInterval(() => {}, 1000);

/**
 * kill -9 of a process while jobs run, then a restart on the same data folder: every job is
 * accounted for, none stays running, and each recovered job's log says what happened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childUntilReady } from '../testing/child-until-ready';
import { startTestRuntime, type TestRuntime } from './testing/test-runtime';

const child = join(import.meta.dirname, 'testing', 'crash-child.ts');
let dir = '';
let restarted: TestRuntime | undefined;
afterEach(async () => {
  await restarted?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function runUntilRunning(dataDir: string): Promise<{ ids: string[]; running: string[]; kill: () => Promise<void> }> {
  const { state, kill } = await childUntilReady<{ ids: string[]; running: string[] }>(child, [dataDir, '12'], 'RUNNING');
  return { ...state, kill };
}

describe('crash recovery', () => {
  it('accounts for every job after kill -9 and re-queues the ones that were running', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mjc-crash-'));
    const { ids, running, kill } = await runUntilRunning(dir);
    expect(running.length).toBeGreaterThanOrEqual(3);
    await kill();

    // restarted under another node id (host renamed): the embedded store still recovers every orphan
    restarted = await startTestRuntime({ dir, config: { nodeId: 'renamed-host', limits: { cpu: 0, gpu_encode: 0, gpu_ai: 0 } } });
    const { runtime } = restarted;
    const all = await runtime.execute('listJobs', { limit: 100 });
    expect(all.pagination.total).toBe(ids.length);
    expect(new Set(all.data.map((j) => j.id))).toEqual(new Set(ids));
    expect(all.data.filter((j) => j.status === 'running')).toEqual([]);
    for (const id of running) {
      const job = await runtime.execute('getJob', { id });
      expect(job.status).toBe('queued');
      expect(job.retryCount).toBe(1);
      expect(job.log).toMatch(/The runtime stopped while this job was running \(crash, kill or power loss\)\. Recovered at start-up: re-queued/);
    }
    const stats = await runtime.execute('getStats', {});
    expect(stats.completed).toBe(2);
    expect(stats.pending + stats.queued + stats.completed).toBe(ids.length);
  }, 30_000);
});

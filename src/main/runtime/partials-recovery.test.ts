/**
 * kill -9 of a runtime whose jobs are writing library outputs, then a restart on the same data
 * folder: the partial files of every attempt that will not go on are removed — re-queued or failed
 * for good alike — and so is a final name linked by an attempt that died before its fenced record;
 * files no attempt recorded (another job's output, a look-alike partial) are left alone.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childUntilReady } from '../testing/child-until-ready';
import { startTestRuntime, type TestRuntime } from './testing/test-runtime';

const child = join(import.meta.dirname, 'testing', 'partials-crash-child.ts');
let dir = '';
let restarted: TestRuntime | undefined;
afterEach(async () => {
  await restarted?.dispose();
  restarted = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function runUntilStopped(dataDir: string): Promise<{ ids: string[]; kill: () => Promise<void> }> {
  const { state, kill } = await childUntilReady<{ ids: string[] }>(child, [dataDir], 'RUNNING');
  return { ...state, kill };
}

describe('crash recovery of partial files', () => {
  it('removes the recorded files of every attempt that will not go on, whatever its retries, and nothing else', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mjc-partials-crash-'));
    const { ids, kill } = await runUntilStopped(dir);
    await kill();
    const playback = join(dir, 'library', 'playback');
    const before = readdirSync(playback).sort();
    // a: its partial; b: linked to b.mp4, the partial name already unlinked; c: its partial
    expect(before.filter((f) => f.includes('.partial.')).map((f) => f.replace(/\.[0-9a-f]{8}-a1\./, '.TOKEN.'))).toEqual(['a.TOKEN.partial.mp4', 'c.TOKEN.partial.mp4']);
    expect(before).toContain('b.mp4');
    // files no attempt recorded
    writeFileSync(join(playback, 'published.mp4'), 'another job');
    writeFileSync(join(playback, 'x.deadbeef-a1.partial.mp4'), 'not recorded');

    restarted = await startTestRuntime({ dir, config: { libraryPath: join(dir, 'library'), limits: { cpu: 0, gpu_encode: 0, gpu_ai: 0 } } });
    expect(readdirSync(playback).sort()).toEqual(['published.mp4', 'x.deadbeef-a1.partial.mp4']);
    const [a, b, c] = await Promise.all(ids.map((id) => restarted!.runtime.execute('getJob', { id })));
    expect([a!.status, b!.status, c!.status]).toEqual(['queued', 'queued', 'failed']);
    expect(await restarted.store.takeAbandonedPartials({})).toEqual([]);
    expect((await restarted.runtime.execute('listVideos', {})).data).toEqual([]);
  }, 30_000);
});

/**
 * kill -9 of a node at every step of a replace (swap.ts), then a restart on the same data and
 * library: the name holds the original or the verified output at every instant (never neither,
 * never a partial), recovery rolls an uncommitted swap back (the original byte-identical under its
 * name, nothing left in .quarantine/ or as a partial), a committed one stays, and the job is retried
 * and finishes cleanly (replaced again, or skipped as already HEVC), with one `replaced` in the ledger.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../runtime/testing/test-runtime';
import { childUntilReady } from '../../testing/child-until-ready';
import { probeJson } from '../media/testing/clips';
import type { SwapStep } from './swap-files';
import { replaceableClip } from './testing/fault-clips';
import { openTranscodeRuntime, type TranscodeRuntime } from './testing/transcode-runtime';

const child = join(import.meta.dirname, 'testing', 'swap-crash-child.ts');
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
let dir = '';
let restarted: TranscodeRuntime | undefined;
afterEach(async () => {
  await restarted?.close();
  restarted = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1));
}

const STEPS: readonly SwapStep[] = ['verified', 'journaled', 'quarantined', 'renamed', 'committed'];

describe('kill -9 at each step of a replace, then restart', () => {
  it.each(STEPS)('killed at "%s": the original or the verified output under the name, never neither; recovered; the job finishes', async (step) => {
    dir = mkdtempSync(join(tmpdir(), `mjc-swap-kill-${step}-`));
    const videos = join(dir, 'library', 'videos');
    mkdirSync(videos, { recursive: true });
    const original = sha(await replaceableClip(videos, 'a.mp4'));
    const { state, kill } = await childUntilReady<{ jobId: string; videoId: string; outputSha: string }>(child, [dir, step], 'AT_STEP');
    await kill();

    const name = join(videos, 'a.mp4');
    expect(existsSync(name), 'the name is never empty').toBe(true);
    expect([original, state.outputSha], 'the name holds the original or the verified output').toContain(sha(name));
    expect(sha(name)).toBe(step === 'renamed' || step === 'committed' ? state.outputSha : original);

    restarted = await openTranscodeRuntime(dir, { retryPolicy: { baseDelayMs: 100, maxDelayMs: 100 } });
    const committed = step === 'committed';
    expect(sha(name), 'recovery put the original back unless the swap had committed').toBe(committed ? state.outputSha : original);
    expect(filesUnder(videos).filter((f) => f.includes('.partial.'))).toEqual([]);
    const quarantined = filesUnder(join(dir, 'library', '.quarantine'));
    expect(quarantined).toHaveLength(committed ? 1 : 0);
    if (!committed) expect(readdirSync(join(dir, 'library')).includes('.quarantine') ? readdirSync(join(dir, 'library', '.quarantine')) : []).toEqual([]);
    if (committed) expect(sha(join(dir, 'library', '.quarantine', quarantined[0]!))).toBe(original);

    const job = await waitFor(async () => {
      const j = await restarted!.embedded.runtime.execute('getJob', { id: state.jobId });
      return ['completed', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
    }, 60_000, 'the retried job to end');
    expect(job.status, job.log).toBe('completed');
    const result = await restarted.embedded.runtime.execute('getJobResult', { id: state.jobId });
    expect(result.outcome).toBe(committed ? 'skipped' : 'replaced');
    expect((await probeJson(name)).streams[0]!.codec_name).toBe('hevc');
    const video = await restarted.embedded.runtime.execute('getVideo', { id: state.videoId });
    expect(video).toMatchObject({ path: 'videos/a.mp4', videoCodec: 'hevc' });
    const savings = await restarted.embedded.runtime.execute('getSavings', { groupBy: 'day' });
    expect(savings.total.outcomes.replaced).toBe(1);
    expect(filesUnder(join(dir, 'library', '.quarantine'))).toHaveLength(1);
    expect(filesUnder(videos).sort()).toEqual(['a.mp4']);
  }, 120_000);
});

/**
 * Cancel and pause tell the truth, with a real long ffmpeg encode through the real runtime: a
 * cancel answers `running` + `cancelling`, and at the very moment the job becomes `cancelled` (the
 * runtime's event) the ffmpeg process is gone and no partial file is left, about a second after the
 * cancel (SIGINT, SIGKILL after 1 s), not the 3–20 s an encoder flushing its buffered frames took.
 * A pause answers `suspended` once the process has been stopped; a suspended encode cancels the same way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../runtime/testing/test-runtime';
import { makeClip } from '../media/testing/clips';
import { startMediaRuntime, type MediaRuntime } from '../testing/media-runtime';

let m: MediaRuntime;
let videoId = '';

beforeAll(async () => {
  m = await startMediaRuntime({ limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 } });
  await makeClip(join(m.root, 'videos'), 'long.mp4', { width: 640, height: 360, fps: 25, seconds: 30 });
  expect((await m.runJob('scan', { directoryType: 'videos' })).status).toBe('completed');
  videoId = (await m.embedded.runtime.execute('listVideos', { search: 'long' })).data[0]!.id;
}, 60_000);
afterAll(async () => m.dispose());

/** State letter of a process (R, S, T, Z …), or null when it is gone. */
function stateOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] ?? null;
  } catch {
    return null;
  }
}

/** The ffmpeg processes this test process started (through the runtime's process runner). */
function ourFfmpegs(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'ffmpeg' && ppid === process.pid && stateOf(Number(entry)) !== 'Z') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Files in the library whose name marks them as partial outputs. */
function partialFiles(dir = m.root): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.includes('.partial'))
    .map((e) => join(e.parentPath, e.name));
}

async function startLongEncode(): Promise<{ id: string; pid: number }> {
  const { runtime } = m.embedded;
  const { id } = await runtime.execute('createJob', { type: 'reencode_streaming', params: { videoId, preset: 'veryslow', crf: 18 } });
  await waitFor(async () => (await runtime.execute('getJob', { id })).progress > 0, 30_000, 'encode progress');
  const [pid] = await waitFor(() => (ourFfmpegs().length === 1 ? ourFfmpegs() : undefined), 5_000, 'the ffmpeg process');
  expect(partialFiles().length).toBeGreaterThan(0);
  return { id, pid: pid! };
}

/** Checks, at the moment the job's status becomes `target`, what `check` sees. */
function atTheMoment<T>(id: string, target: string, check: () => T): Promise<{ seen: T; at: number }> {
  return new Promise((resolve) => {
    const off = m.embedded.runtime.subscribe((event) => {
      if (event.type !== 'job.updated' || event.job.id !== id || event.job.status !== target) return;
      off();
      resolve({ seen: check(), at: performance.now() }); // synchronously, in the event
    });
  });
}

describe('cancel and pause that tell the truth (real ffmpeg)', () => {
  it('a cancelled encode: cancelling until ffmpeg is gone and its partial removed, then cancelled, within ~1.5 s', async () => {
    const { runtime } = m.embedded;
    const { id, pid } = await startLongEncode();
    const cancelled = atTheMoment(id, 'cancelled', () => ({ ffmpeg: stateOf(pid), partials: partialFiles() }));
    const asked = performance.now();
    const answer = await runtime.execute('cancelJob', { id });
    expect(answer).toMatchObject({ id, status: 'running', cancelling: true });
    expect(answer.log).toMatch(/CANCEL REQUESTED BY internal \(admin\)/);
    const { seen, at } = await cancelled;
    expect(seen).toEqual({ ffmpeg: null, partials: [] });
    expect(at - asked).toBeLessThan(1_500);
    const job = await runtime.execute('getJob', { id });
    expect(job).toMatchObject({ status: 'cancelled', cancelling: false });
    expect(job.log).toMatch(/Cancelled: the tool has exited and the partial files are removed/);
    expect(readdirSync(join(m.root, 'playback')).filter((f) => f.startsWith('long'))).toEqual([]);
    expect((await runtime.execute('getStats', {})).cancelled).toBe(1);
  }, 60_000);

  it('a pause answers suspended once ffmpeg is stopped; a suspended encode is cancelled the same honest way', async () => {
    const { runtime } = m.embedded;
    const { id, pid } = await startLongEncode();
    expect(await runtime.execute('pauseJob', { id })).toEqual({ id, status: 'suspended' });
    // SIGSTOP was delivered before the answer: the kernel shows it stopped at once (D for a moment at most)
    await waitFor(() => stateOf(pid) === 'T', 500, 'ffmpeg stopped');
    await expect(runtime.execute('getJob', { id })).resolves.toMatchObject({ status: 'suspended', cancelling: false });

    const cancelled = atTheMoment(id, 'cancelled', () => ({ ffmpeg: stateOf(pid), partials: partialFiles() }));
    const asked = performance.now();
    expect(await runtime.execute('cancelJob', { id })).toMatchObject({ status: 'suspended', cancelling: true });
    await expect(runtime.execute('resumeJob', { id })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    const { seen, at } = await cancelled;
    expect(seen).toEqual({ ffmpeg: null, partials: [] });
    expect(at - asked).toBeLessThan(1_500);
  }, 60_000);
});

/**
 * Tools never outlive their node: a node process (a small Node program) starts a long ffmpeg
 * through the process runner, is killed with SIGKILL (alone, or with its whole process group), and
 * the ffmpeg must be gone within 2 s. For both backends (child_process pipes and node-pty, whose
 * fork happens in another way) and both leashes (setpriv's parent-death signal, the watchdog).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childUntilReady } from '../../testing/child-until-ready';
import { readCommandLine } from './orphan-cleanup';
import { leashMode, requireExecutable } from './tool-leash';
import { ProcessStartError } from './process-start-error';

const child = join(import.meta.dirname, 'testing', 'leashed-tool-child.ts');
const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
});

/** Alive and not a zombie (a killed tool whose new parent has not reaped it yet is dead). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function startNode(consoleMode: 'pipes' | 'pty', leash: string): Promise<{ node: number; tool: number; leash: string; mode: string }> {
  // detached: the node leads a process group of its own, as a service manager would start it
  const { proc, state } = await childUntilReady<{ pid: number; leash: string; mode: string }>(child, [consoleMode, leash], 'TOOL', {
    detached: true,
    onSpawn: (p) => void leftovers.push(p.pid!),
  });
  leftovers.push(state.pid);
  return { node: proc.pid!, tool: state.pid, leash: state.leash, mode: state.mode };
}

async function goneWithin(pid: number, ms: number): Promise<number> {
  const started = Date.now();
  while (alive(pid)) {
    if (Date.now() - started > ms) throw new Error(`PID ${pid} still alive ${ms} ms after its node died`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

const hasSetpriv = ['/usr/bin/setpriv', '/bin/setpriv'].some((p) => existsSync(p));
const cases = (['pipes', 'pty'] as const).flatMap((consoleMode) =>
  (hasSetpriv ? (['pdeathsig', 'watchdog'] as const) : (['watchdog'] as const)).flatMap((leash) => (['node', 'group'] as const).map((kill) => ({ consoleMode, leash, kill }))),
);

// Linux: /proc tells a dead process from a live one
describe.runIf(process.platform === 'linux')('tools never outlive their node', () => {
  it.runIf(hasSetpriv)('uses the parent-death signal on a Linux with setpriv', async () => {
    expect(await leashMode()).toBe('pdeathsig');
  });

  it.each(cases)('$consoleMode, $leash: kill -9 of the $kill stops its ffmpeg within 2 s', async ({ consoleMode, leash, kill }) => {
    const started = await startNode(consoleMode, leash);
    expect(started).toMatchObject({ leash, mode: consoleMode });
    // the tool itself runs under that PID (setpriv exec'd it)
    await new Promise((r) => setTimeout(r, 300));
    expect(basename((await readCommandLine(started.tool))![0]!)).toMatch(/^ffmpeg/);
    expect(alive(started.tool)).toBe(true);
    process.kill(kill === 'group' ? -started.node : started.node, 'SIGKILL');
    const ms = await goneWithin(started.tool, 2000);
    expect(ms).toBeLessThan(2000);
  }, 20_000);

  it('without a leash (as before) the ffmpeg of a pipes-mode tool outlives its node: the case the leash is for', async () => {
    const started = await startNode('pipes', 'none');
    await new Promise((r) => setTimeout(r, 300));
    process.kill(started.node, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 1500));
    expect(alive(started.tool)).toBe(true);
  }, 20_000);

  it('a missing or non-executable tool is a ProcessStartError before anything starts', async () => {
    await expect(requireExecutable('no-such-tool-here', undefined, process.env)).rejects.toBeInstanceOf(ProcessStartError);
    const dir = mkdtempSync(join(tmpdir(), 'mjc-leash-'));
    try {
      writeFileSync(join(dir, 'not-a-program'), 'text', { mode: 0o644 });
      await expect(requireExecutable(join(dir, 'not-a-program'), undefined, process.env)).rejects.toMatchObject({ code: 'EACCES' });
      await expect(requireExecutable('./not-a-program', dir, process.env)).rejects.toMatchObject({ code: 'EACCES' });
      await expect(requireExecutable(dir, undefined, process.env)).rejects.toMatchObject({ code: 'EACCES' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await expect(requireExecutable('sh', undefined, process.env)).resolves.toBeUndefined();
  });
});

import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { commandLineMatches, killOrphans, readCommandLine, readStartTicks, startTicksFromStat } from './orphan-cleanup';
import { setPtyModuleForTests } from './process-backends';
import { ProcessStartError, runProcess, startProcess } from './process-runner';

const sh = (script: string) => ({ command: '/bin/sh', args: ['-c', script] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function processState(pid: number): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

describe('runProcess', () => {
  it('passes arguments verbatim (no shell) and reports success', async () => {
    const pids: number[] = [];
    const running = await startProcess({ command: '/usr/bin/printf', args: ['%s|', 'a b', '$(rm -rf /); `x`'], onPid: (pid) => pids.push(pid) });
    const result = await running.result;
    expect(result).toMatchObject({ ok: true, exitCode: 0, signal: null, cancelled: false, killed: false, mode: 'pipes' });
    expect(running.console.text()).toBe('a b|$(rm -rf /); `x`|');
    expect(pids).toEqual([running.pid]);
  });

  it('reports failure with the tail of the console', async () => {
    const result = await runProcess({ ...sh('echo first; echo "the real error" >&2; exit 3'), tailLines: 1 });
    expect(result).toMatchObject({ ok: false, exitCode: 3, cancelled: false });
    expect(result.stderrTail).toEqual(['the real error']);
  });

  it('keeps stdout apart when asked, and reads fd 3 as a side channel', async () => {
    const side: string[] = [];
    const result = await runProcess({ ...sh('echo data; echo noise >&2; echo progress=end >&3'), captureStdout: true, onFd3: (t) => side.push(t) });
    expect(result.stdout).toBe('data\n');
    expect(result.stderrTail).toEqual(['noise']);
    expect(side.join('')).toBe('progress=end\n');
  });

  it('gives the tool a terminal in pty mode', async () => {
    const running = await startProcess({ ...sh('test -t 1 && echo "on a tty"; echo err >&2'), console: 'pty' });
    const result = await running.result;
    expect(result).toMatchObject({ ok: true, mode: 'pty' });
    expect(running.console.getLines()).toEqual(['on a tty', 'err']);
  });

  it('falls back to pipes when node-pty is unavailable', async () => {
    setPtyModuleForTests(null);
    try {
      const running = await startProcess({ ...sh('test -t 1 || echo "no tty"'), console: 'pty' });
      expect(await running.result).toMatchObject({ ok: true, mode: 'pipes' });
      expect(running.console.getLines()).toEqual(['no tty']);
    } finally {
      setPtyModuleForTests(undefined);
    }
  });

  it('rejects with ProcessStartError for a missing binary, in both modes', async () => {
    await expect(runProcess({ command: '/nonexistent/tool', args: [] })).rejects.toBeInstanceOf(ProcessStartError);
    await expect(runProcess({ command: '/nonexistent/tool', args: [], console: 'pty' })).rejects.toBeInstanceOf(ProcessStartError);
  });

  it('cancels on abort: SIGINT, never a success', async () => {
    const controller = new AbortController();
    const running = await startProcess({ command: 'sleep', args: ['30'], signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const result = await running.result;
    expect(result).toMatchObject({ ok: false, cancelled: true, killed: false, signal: 'SIGINT' });
    expect(result.durationMs).toBeLessThan(1000);
  });

  it('a cancelled run that exits 0 is still not a success', async () => {
    const running = await startProcess(sh('trap "exit 0" INT; while :; do sleep 0.05; done'));
    await sleep(100);
    running.cancel();
    expect(await running.result).toMatchObject({ ok: false, cancelled: true, exitCode: 0 });
  });

  it('escalates to SIGKILL after the grace period (1 s by default)', async () => {
    const running = await startProcess({ ...sh('trap "" INT TERM; while :; do sleep 0.05; done'), killGraceMs: 300 });
    await sleep(100);
    running.cancel();
    expect(await running.result).toMatchObject({ ok: false, cancelled: true, killed: true, signal: 'SIGKILL' });

    const stubborn = await startProcess(sh('trap "" INT TERM; while :; do sleep 0.05; done'));
    await sleep(100);
    const asked = Date.now();
    stubborn.cancel();
    expect(await stubborn.result).toMatchObject({ cancelled: true, killed: true, signal: 'SIGKILL' });
    expect(Date.now() - asked).toBeGreaterThanOrEqual(900);
    expect(Date.now() - asked).toBeLessThan(1500);
  });

  it('suspends and resumes the process group; a suspended run can still be cancelled', async () => {
    // long enough (1.2 s) that a loaded machine cannot let it finish before the suspend reaches it
    const running = await startProcess(sh('for i in 1 2 3 4 5 6; do echo $i; sleep 0.2; done'));
    expect(running.suspend()).toBe(true);
    expect(running.suspended).toBe(true);
    // the kernel shows D (uninterruptible) until a pending read or write ends, then T: on a machine
    // busy with disk I/O that took over 2 s once (CI, beside a database restart and an encode)
    const deadline = Date.now() + 10_000;
    while ((await processState(running.pid)) !== 'T' && Date.now() < deadline) await sleep(20);
    expect(await processState(running.pid)).toBe('T');
    const linesWhileStopped = running.console.getLines().length;
    await sleep(200);
    expect(running.console.getLines().length).toBe(linesWhileStopped);
    expect(running.resume()).toBe(true);
    const result = await running.result;
    expect(result.ok).toBe(true);
    expect(running.console.getLines()).toEqual(['1', '2', '3', '4', '5', '6']);

    const stuck = await startProcess({ command: 'sleep', args: ['30'] });
    stuck.suspend();
    stuck.cancel();
    expect(await stuck.result).toMatchObject({ cancelled: true, killed: false });
  }, 20_000);
});

describe('killOrphans', () => {
  it('kills a recorded PID only while its start time and command line still match (a reused PID is never killed)', async () => {
    const idle = ['-e', 'setTimeout(() => {}, 30000)'];
    const orphan = spawn(process.execPath, [...idle, 'marker-123'], { detached: true, stdio: 'ignore' });
    // the same program and marker, but recorded with another start time: a PID the kernel gave anew
    const reused = spawn(process.execPath, [...idle, 'marker-123'], { detached: true, stdio: 'ignore' });
    const unknown = spawn(process.execPath, [...idle, 'marker-123'], { detached: true, stdio: 'ignore' });
    const other = spawn(process.execPath, idle, { detached: true, stdio: 'ignore' });
    const gone = spawn('true', [], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    await sleep(50);
    try {
      expect(await readCommandLine(orphan.pid!)).toEqual([process.execPath, ...idle, 'marker-123']);
      const ticks = async (pid: number) => (await readStartTicks(pid))!;
      expect(await ticks(orphan.pid!)).toBe(startTicksFromStat(await readFile(`/proc/${orphan.pid}/stat`, 'utf8')));

      const report = await killOrphans(
        [
          { pid: orphan.pid!, startTicks: await ticks(orphan.pid!) },
          { pid: reused.pid!, startTicks: (await ticks(reused.pid!)) - 1 },
          { pid: unknown.pid!, startTicks: null },
          { pid: other.pid!, startTicks: await ticks(other.pid!) },
          { pid: gone.pid!, startTicks: 1 },
          { pid: process.pid, startTicks: await ticks(process.pid) },
        ],
        { tool: process.execPath, marker: 'marker-123' },
      );
      expect(report.killed).toEqual([orphan.pid]);
      expect(report.gone).toEqual([gone.pid]);
      expect(report.skipped.sort()).toEqual([reused.pid, unknown.pid, other.pid, process.pid].sort());
      // the exit event may already have fired while killOrphans was awaited
      if (orphan.exitCode === null && orphan.signalCode === null) await new Promise((resolve) => orphan.once('exit', resolve));
      expect(orphan.signalCode).toBe('SIGKILL');
      expect(await readStartTicks(reused.pid!)).not.toBeNull();
    } finally {
      for (const p of [orphan, reused, unknown, other]) p.kill('SIGKILL');
    }
  });

  it('matches by tool base name and optional marker (pure)', () => {
    expect(commandLineMatches(['/usr/bin/ffmpeg', '-i', 'a'], { tool: 'ffmpeg' })).toBe(true);
    expect(commandLineMatches(['ffprobe', '-i', 'a'], { tool: '/usr/bin/ffmpeg' })).toBe(false);
    expect(commandLineMatches(['ffmpeg', '/x/out.partial.mp4'], { tool: 'ffmpeg', marker: '/x/out.partial.mp4' })).toBe(true);
    expect(commandLineMatches(['ffmpeg', '/x/other.mp4'], { tool: 'ffmpeg', marker: '/x/out.partial.mp4' })).toBe(false);
  });
});

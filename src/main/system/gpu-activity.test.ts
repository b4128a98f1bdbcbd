/**
 * The GPU yield's real sources: the process table (a real `sleep` started under a configured name
 * through a symbolic link, so /proc/<pid>/comm carries that name) and nvidia-smi's output parsing
 * (no GPU here: its text is fed in through the command runner).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findNamedProcesses, parsePmon, parseSessionCount, SystemGpuActivity } from './gpu-activity';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('process table', () => {
  it('finds a running process by its configured name, and not once it has ended', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mjc-yield-'));
    const name = `mjcyield${process.pid % 100000}`;
    symlinkSync('/bin/sleep', join(dir, name));
    const child = spawn(join(dir, name), ['30'], { stdio: 'ignore' });
    cleanups.push(() => child.kill('SIGKILL'), () => rmSync(dir, { recursive: true, force: true }));
    await new Promise((r) => child.once('spawn', r));

    const found = await findNamedProcesses(['nothing-like-this', name.toUpperCase()]);
    expect(found).toEqual([{ pid: child.pid, name: name.toUpperCase() }]);
    const reading = await new SystemGpuActivity({ nvidiaSmi: join(dir, 'no-nvidia-smi') }).read([name], true);
    expect(reading).toEqual({ namedProcesses: [{ pid: child.pid, name }], encoderProcesses: null, encoderSessions: null });

    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(await findNamedProcesses([name])).toEqual([]);
  });
});

describe('nvidia-smi', () => {
  const PMON = [
    '# gpu         pid   type     sm    mem    enc    dec    jpg    ofa    command',
    '# Idx           #    C/G      %      %      %      %      %      %    name',
    '    0       4242     G      3      1     12      0      -      -    obs',
    '    0       5151     C     40     10      -      -      -      -    python',
    '    0          -     -      -      -      -      -      -      -    -',
  ].join('\n');

  it('reads the encoder users from pmon and the session count', async () => {
    expect(parsePmon(PMON)).toEqual([{ pid: 4242, name: 'obs' }]);
    expect(parseSessionCount('2\n')).toBe(2);
    expect(parseSessionCount('')).toBeNull();
    const runs: string[][] = [];
    const source = new SystemGpuActivity({
      run: async (_file, args) => (runs.push([...args]), args[0] === 'pmon' ? PMON : '1\n'),
    });
    expect(await source.read([], true)).toEqual({ namedProcesses: [], encoderProcesses: [{ pid: 4242, name: 'obs' }], encoderSessions: 1 });
    expect(runs).toContainEqual(['pmon', '-c', '1', '-s', 'u']);
    expect(runs).toContainEqual(['--query-gpu=encoder.stats.sessionCount', '--format=csv,noheader,nounits']);
  });
});

/**
 * A test child process (a TypeScript entry run with tsx) that prints `<MARKER> <json>` once it has
 * reached the state a test wants (jobs running, a tool started …): resolves with that JSON and a
 * kill -9 that waits for the exit. A child that exits before printing its marker fails the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ReadyChild<T> {
  readonly proc: ChildProcess;
  readonly state: T;
  /** SIGKILL (no clean-up of any kind) and wait for the exit. */
  kill(): Promise<void>;
}

export function childUntilReady<T>(entry: string, args: readonly string[], marker: string, options: { detached?: boolean; onSpawn?: (proc: ChildProcess) => void } = {}): Promise<ReadyChild<T>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { stdio: ['ignore', 'pipe', 'inherit'], detached: options.detached ?? false });
    options.onSpawn?.(proc);
    const pattern = new RegExp(`${marker} (.*)\\n`);
    let out = '';
    proc.on('error', reject);
    proc.on('exit', (code, signal) => reject(new Error(`the child exited before it was ready (${code ?? signal})`)));
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (!match) return;
      proc.removeAllListeners('exit');
      resolve({
        proc,
        state: JSON.parse(match[1]!) as T,
        kill: () =>
          new Promise((done) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return done();
            proc.once('exit', () => done());
            proc.kill('SIGKILL');
          }),
      });
    });
  });
}

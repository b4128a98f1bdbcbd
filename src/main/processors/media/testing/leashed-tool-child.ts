/**
 * A node process for the tool-leash test: starts a long ffmpeg through the process runner (pipes or
 * pty, in the leash mode asked for), prints `TOOL {"pid":…,"leash":…}` and waits to be killed.
 * Usage: node --import tsx leashed-tool-child.ts <pipes|pty> <auto|pdeathsig|watchdog>
 */
import { startProcess } from '../process-runner';
import { leashMode, setLeashModeForTests, type LeashMode } from '../tool-leash';
import { TEST_FFMPEG } from './clips';

const consoleMode = process.argv[2] === 'pty' ? 'pty' : 'pipes';
const wanted = process.argv[3] ?? 'auto';
if (wanted !== 'auto') setLeashModeForTests(wanted as LeashMode);
const running = await startProcess({
  command: TEST_FFMPEG,
  args: ['-hide_banner', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '120', '-f', 'null', '-'],
  console: consoleMode,
});
process.stdout.write(`TOOL ${JSON.stringify({ pid: running.pid, mode: running.mode, leash: await leashMode() })}\n`);
setInterval(() => {}, 1000);

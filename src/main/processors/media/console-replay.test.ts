/**
 * The live console with ffmpeg's real status output: a `-stats` stderr stream recorded at test
 * time (at least 100 status-line updates, each redrawn with `\r`) goes through the console buffer,
 * whose replay (what GET /jobs/:id/console answers mid-run) plus the chunks after it are fed to a
 * real terminal emulator (xterm.js headless, the engine of the UI's console view). The terminal
 * shows exactly one status line, the latest, after the lines ffmpeg printed before it.
 */
import { spawn } from 'node:child_process';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { ConsoleBuffer } from './console-buffer';

const UPDATES = 100;

/** Stderr chunks of a real encode, until it has redrawn its status line `updates` times. */
function recordFfmpegStats(updates: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const chunks: string[] = [];
    let redraws = 0;
    const child = spawn('ffmpeg', ['-hide_banner', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30', '-t', '600', '-c:v', 'libx264', '-preset', 'veryfast', '-stats', '-stats_period', '0.02', '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      chunks.push(chunk);
      redraws += chunk.split('\r').length - 1;
      if (redraws > updates) child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('close', () => (redraws > updates ? resolve(chunks) : reject(new Error(`ffmpeg ended after ${redraws} status updates`))));
  });
}

async function terminalRows(feed: readonly string[]): Promise<string[]> {
  const term = new xterm.Terminal({ cols: 200, rows: 40, convertEol: true, scrollback: 2000, allowProposedApi: true });
  for (const text of feed) await new Promise<void>((resolve) => term.write(text, resolve));
  const rows: string[] = [];
  for (let i = 0; i < term.buffer.active.length; i += 1) rows.push((term.buffer.active.getLine(i)?.translateToString(true) ?? '').replace(/\s+$/, ''));
  term.dispose();
  return rows.filter((r) => r !== '');
}

describe('the live console with real ffmpeg status output', () => {
  it(`shows one status line after ${UPDATES} updates, replayed mid-run and continued live`, async () => {
    const chunks = await recordFfmpegStats(UPDATES);
    const statusLines = chunks.join('').split(/[\r\n]/).filter((l) => /^frame=.*speed=/.test(l.trim()));
    expect(statusLines.length).toBeGreaterThan(UPDATES);

    const buffer = new ConsoleBuffer();
    const half = Math.floor(chunks.length / 2);
    for (const chunk of chunks.slice(0, half)) buffer.write(chunk);
    const replay = buffer.replay();
    const rows = await terminalRows([replay, ...chunks.slice(half)]);

    const shown = rows.filter((r) => /frame=.*speed=/.test(r));
    expect(shown).toHaveLength(1);
    expect(shown[0]).toBe(statusLines.at(-1)!.trim());
    // what ffmpeg printed before encoding is still there, above it
    expect(rows.some((r) => /Stream #0:0/.test(r))).toBe(true);
  }, 60_000);
});

/**
 * The proof's decode while the encode writes (decode-while-encoding.ts) and what the proof makes of
 * it (verify-transcode.ts), with real ffmpeg on clips made here: a file followed as ffmpeg writes it,
 * or as it is written in pieces with pauses, decodes every frame; a file that shrinks, never appears
 * or is damaged is never a clean result; and a result the finished file contradicts (another frame
 * count, error lines) sends the proof to decode the file, which alone decides.
 */
import { execFile } from 'node:child_process';
import { appendFile, copyFile, mkdtemp, open, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../core/ports';
import { ConsoleBuffer } from '../media/console-buffer';
import type { MediaTools } from '../media/tool-discovery';
import type { AttemptFiles, JobContext } from '../processor';
import { fileIdentity, startDecodeWhileEncoding, type StreamDecode } from './decode-while-encoding';
import { probeStreams } from './stream-probe';
import { planStreams } from './transcode-args';
import { proveOutput } from './verify-transcode';

const run = promisify(execFile);
const FRAMES = 125; // 5 s at 25 fps
let dir: string;
let clip: string; // a finished MKV: H.264 + AAC

function context(): JobContext & { lines: string[]; pids: number[] } {
  const lines: string[] = [];
  const pids: number[] = [];
  return {
    job: { id: 'job-1' } as JobRecord,
    signal: new AbortController().signal,
    progress: () => undefined,
    log: (text: string) => void lines.push(text),
    heartbeat: () => undefined,
    console: new ConsoleBuffer(),
    trackProcess: (p: { pid: number }) => (pids.push(p.pid), () => undefined),
    files: {} as AttemptFiles,
    lines,
    pids,
  } as JobContext & { lines: string[]; pids: number[] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const clean = (d: StreamDecode) => d.conclusive && d.errors.length === 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'decode-while-encoding-'));
  clip = join(dir, 'clip.mkv');
  await run('ffmpeg', ['-hide_banner', '-v', 'error', '-nostdin', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '5',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-c:a', 'aac', '-b:a', '64k', clip]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the decode that follows an MKV output while it is written', () => {
  it('decodes every frame of a file ffmpeg is writing, started before the file exists', async () => {
    const output = join(dir, 'live.partial.mkv');
    const decoding = await startDecodeWhileEncoding(context(), 'ffmpeg', output);
    await run('ffmpeg', ['-hide_banner', '-v', 'error', '-nostdin', '-y', '-re', '-i', clip, '-map', '0', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'copy', output]);
    const result = await decoding.finish();
    const written = await stat(output);
    expect(result).toEqual({ conclusive: true, errors: [], frames: FRAMES, bytes: written.size, file: fileIdentity(written) });
    expect(await decoding.finish()).toBe(result); // one result, however often asked
  });

  it('reads a file written in pieces with pauses longer than its poll, to the last byte', async () => {
    const output = join(dir, 'pieces.partial.mkv');
    const bytes = await readFile(clip);
    const decoding = await startDecodeWhileEncoding(context(), 'ffmpeg', output);
    const piece = Math.ceil(bytes.length / 5);
    for (let at = 0; at < bytes.length; at += piece) {
      await appendFile(output, bytes.subarray(at, at + piece));
      await sleep(150);
    }
    const result = await decoding.finish();
    expect(result).toEqual({ conclusive: true, errors: [], frames: FRAMES, bytes: bytes.length, file: fileIdentity(await stat(output)) });
  });

  it('is not conclusive when the file shrinks while it is read, or never appears', async () => {
    const output = join(dir, 'shrinks.partial.mkv');
    const bytes = await readFile(clip);
    const decoding = await startDecodeWhileEncoding(context(), 'ffmpeg', output);
    await appendFile(output, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await sleep(200);
    await truncate(output, 1000); // another writer started over
    await sleep(200);
    await appendFile(output, bytes.subarray(1000));
    const shrank = await decoding.finish();
    expect(shrank).toMatchObject({ conclusive: false, why: expect.stringMatching(/shrank/) });

    const never = await startDecodeWhileEncoding(context(), 'ffmpeg', join(dir, 'never.partial.mkv'));
    await sleep(100);
    expect(await never.finish()).toEqual({ conclusive: false, why: 'the encoder wrote no output' });
  });

  it('never gives a clean full count for a damaged stream', async () => {
    const damaged = join(dir, 'damaged.mkv');
    await copyFile(clip, damaged);
    const size = (await stat(damaged)).size;
    const handle = await open(damaged, 'r+');
    // garbage over a stretch of clusters in the middle of the file
    await handle.write(Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 2));
    await handle.close();
    const output = join(dir, 'damaged.partial.mkv');
    const ctx = context();
    const decoding = await startDecodeWhileEncoding(ctx, 'ffmpeg', output);
    await copyFile(damaged, output);
    const result = await decoding.finish();
    const said = JSON.stringify(result).slice(0, 500);
    expect(ctx.pids, said).toHaveLength(1); // the decoder ran: what follows is its verdict, not a failed start
    if (!result.conclusive) expect(result.why).not.toMatch(/could not start|wrote no output/);
    // errors, a failed decode, or frames missing: never "clean, every frame"
    expect(clean(result) && result.conclusive && result.frames === FRAMES, said).toBe(false);
  });

  it('stops at once when the encode fails', async () => {
    const output = join(dir, 'stopped.partial.mkv');
    const bytes = await readFile(clip);
    const ctx = context();
    const decoding = await startDecodeWhileEncoding(ctx, 'ffmpeg', output);
    await appendFile(output, bytes.subarray(0, 4096));
    const t0 = performance.now();
    await decoding.stop();
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(() => process.kill(ctx.pids[0]!, 0)).toThrow(); // the decoder is gone
    expect(await decoding.finish()).toEqual({ conclusive: false, why: 'stopped' });
  });
});

describe('the proof with a decode made while encoding', () => {
  type Made = (output: { bytes: number; file: string }) => StreamDecode;
  async function prove(made: Made) {
    const ctx = context();
    const tools = { ffmpeg: { path: 'ffmpeg' }, ffprobe: { path: 'ffprobe' } } as MediaTools;
    const original = await probeStreams(ctx, 'ffprobe', clip);
    const output = join(dir, `proof-${Math.random().toString(36).slice(2)}.partial.mkv`);
    await run('ffmpeg', ['-hide_banner', '-v', 'error', '-nostdin', '-y', '-i', clip, '-map', '0', '-c', 'copy', output]);
    const written = await stat(output);
    const result = made({ bytes: written.size, file: fileIdentity(written) });
    let stopped = 0;
    const streamDecode = { finish: async () => result, stop: async () => void (stopped += 1) };
    const proof = await proveOutput(ctx, {
      tools, originalPath: clip, original, originalBytes: (await stat(clip)).size, originalDuration: original.durationSeconds!, outputPath: output,
      plan: planStreams(original, { audio: 'copy', keepAllAudio: true, keepSubtitles: true }, 'mkv'), minSavingsPercent: 0, requireSavings: false, progressRange: [80, 97], streamDecode,
    });
    return { proof, lines: ctx.lines, decode: proof.checks.find((c) => c.name === 'decode')!, stopped };
  }

  it('takes a clean decode of every video packet of the very file written, and decodes nothing again', async () => {
    const { proof, lines, decode } = await prove((o) => ({ conclusive: true, errors: [], frames: FRAMES, ...o }));
    expect(proof.failure).toBeNull();
    expect(decode.detail).toBe(`full decode while encoding (${FRAMES} frames: every video packet of the written file), no errors`);
    expect(lines).toEqual([]);
  });

  it('decodes the finished file when the counts, the bytes or the file differ, when the stream printed errors, or when it was not conclusive; the file decides', async () => {
    const cases: [Made, RegExp][] = [
      [(o) => ({ conclusive: true, errors: [], frames: FRAMES - 3, ...o }), /gave 122 frames, the written file holds 125 video packets; decoding the written file/],
      [(o) => ({ conclusive: true, errors: [], frames: FRAMES, ...o, bytes: o.bytes - 1 }), /read \d+ bytes, the written file has \d+; decoding the written file/],
      [(o) => ({ conclusive: true, errors: [], frames: FRAMES, ...o, file: '0:0' }), /read another file than the one written; decoding the written file/],
      [(o) => ({ conclusive: true, errors: ['Invalid NAL unit size'], frames: FRAMES, ...o }), /not conclusive \(1 error line\(s\): Invalid NAL unit size\); decoding the written file/],
      [() => ({ conclusive: false, why: 'the decoder stopped reading' }), /not conclusive \(the decoder stopped reading\); decoding the written file/],
    ];
    for (const [made, said] of cases) {
      const { proof, lines, decode } = await prove(made);
      expect(lines.join('\n')).toMatch(said);
      expect(decode.detail).toBe('full decode, no errors'); // the file's own decode: clean, so the job goes on
      expect(proof.failure).toBeNull();
      expect(proof.checks.find((c) => c.name === 'frames')!.detail).toBe(`${FRAMES} frames vs ${FRAMES} (± 0 allowed)`);
    }
  });
});

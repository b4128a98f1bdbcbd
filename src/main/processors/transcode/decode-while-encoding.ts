/**
 * The proof's full decode (proof.ts), run while the encode is still writing its MKV output instead of
 * after it: the file is followed as it grows and fed to a second ffmpeg that decodes every kept video
 * and audio stream to the null muxer at `-v error`, the same decode decodePass runs on the finished
 * file. Behind an NVENC encode, or on more cores than the encoder keeps busy, the decode then costs
 * no wall time: the proof no longer waits a whole decode after the encode (~9 % of a medium-preset
 * HEVC encode in software, far more behind a fast NVENC encode). Where the encoder already keeps
 * every core busy its CPU is paid either way. The decoder runs at the encoder's priority: a lower one
 * (nice, and the session's autogroup) measured no better on 2 cores, and on a node busy with other
 * jobs it would starve the decode after the encode while the job holds its slot (an unprivileged
 * process cannot raise its priority back).
 *
 * Why only MKV: the Matroska muxer writes its clusters (the packets) once, in order, and only goes
 * back at the end to fill in header fields (duration, sizes, the seek head) that a streaming reader
 * does not need; the packets decoded are the packets of the final file. MP4's index (moov) is
 * written last and then moved to the front (faststart), so nothing can be decoded before the end.
 *
 * The result only ever spares the decode of the finished file; it never fails a job by itself. It is
 * `conclusive` when the decoder read the whole file, exited cleanly and printed no error; the proof
 * then also requires the decoded frame count to equal the video packets the finished file holds
 * (verify-transcode.ts). Anything else (the file shrank or vanished, the decoder stopped early,
 * printed errors, could not start) and the proof decodes the finished file as before: errors are
 * confirmed on the file, never taken from the stream alone.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { startFfmpeg } from '../media/ffmpeg-run';
import type { JobContext } from '../processor';
import { resultWhileTracked } from '../steps/tracked-result';
import { errorCounter } from './proof';

/** How often the follower looks for new bytes while the encoder writes. */
const POLL_MS = 40;
const CHUNK_BYTES = 1 << 20;

export type StreamDecode =
  | {
      readonly conclusive: true;
      readonly errors: readonly string[];
      readonly frames: number;
      /** The bytes fed, and the file they were read from (`dev:ino`): the proof holds both against the finished file. */
      readonly bytes: number;
      readonly file: string;
    }
  | { readonly conclusive: false; readonly why: string };

export interface DecodeWhileEncoding {
  /**
   * The encoder has exited successfully: feeds the rest of the file, ends the decoder's input, and
   * gives the decode. The same promise however often it is called; never rejects.
   */
  finish(): Promise<StreamDecode>;
  /** Stops the decoder and the follower if they still run (the encode failed, or the result is not needed); a no-op once settled. */
  stop(): Promise<void>;
}

/** A file's identity as the follower and the proof compare it. */
export const fileIdentity = (s: { dev: number; ino: number }): string => `${s.dev}:${s.ino}`;

/** The decoder's arguments (progress options aside): Matroska on stdin, the kept video and every audio stream, to the null muxer. Pure. */
export function streamDecodeArgs(): string[] {
  return ['-hide_banner', '-v', 'error', '-f', 'matroska', '-i', 'pipe:0', '-map', '0:V:0', '-map', '0:a?', '-f', 'null', '-'];
}

class Inconclusive extends Error {}

/** Waits `ms`, or less when `signal` aborts; leaves no listener behind (it polls for hours on a long encode). */
const sleep = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);

/** Waits until the sink drains or closes, or `stopped` aborts; the listeners of the other two are removed. */
async function drained(sink: Writable, stopped: AbortSignal): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([once(sink, 'drain', { signal: done.signal }), once(sink, 'close', { signal: done.signal }), once(stopped, 'abort', { signal: done.signal })]);
  } catch {
    // the sink failed (EPIPE): the loop sees it destroyed
  } finally {
    done.abort();
  }
}

/**
 * Feeds `path` to `sink` from its first byte as it grows, until `writerDone` is aborted and the end
 * is reached; honours the sink's back-pressure. Returns the bytes fed and the file's identity.
 */
async function follow(path: string, sink: Writable, writerDone: AbortSignal, stopped: AbortSignal): Promise<{ bytes: number; file: string }> {
  let handle: FileHandle | null = null;
  // the encoder creates the file when it starts writing (its partial was removed before the start)
  while (!handle) {
    if (stopped.aborted) throw new Inconclusive('stopped');
    // whether the writer was done BEFORE this open was tried: only then does ENOENT mean no output
    // (the open may fail, the file then appear and the writer finish before this task sees the failure)
    const done = writerDone.aborted;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Inconclusive(`the output could not be opened: ${(error as Error).message}`);
      if (done) throw new Inconclusive('the encoder wrote no output');
      await sleep(POLL_MS, writerDone);
    }
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let position = 0;
    for (;;) {
      if (stopped.aborted) throw new Inconclusive('stopped');
      if (sink.destroyed || sink.writableEnded) throw new Inconclusive('the decoder stopped reading');
      // whether the writer was done BEFORE this size was read: then the size is final
      const done = writerDone.aborted;
      const info = await handle.stat();
      const size = info.size;
      if (size < position) throw new Inconclusive(`the output shrank while it was read (${size} < ${position} bytes)`);
      if (size === position) {
        if (done) return { bytes: position, file: fileIdentity(info) };
        await sleep(POLL_MS, writerDone);
        continue;
      }
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, size - position), position);
      if (bytesRead === 0) continue;
      position += bytesRead;
      // a copy: the buffer is reused for the next read while this chunk may still wait in the pipe
      if (!sink.write(Buffer.from(buffer.subarray(0, bytesRead)))) await drained(sink, stopped);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Starts the decoder and the follower of `partialPath` (which must not exist yet: the encoder is
 * about to create it). Never throws for a decode problem: finish() says whether it was conclusive.
 */
export async function startDecodeWhileEncoding(ctx: JobContext, ffmpegPath: string, partialPath: string): Promise<DecodeWhileEncoding> {
  const writerDone = new AbortController();
  const stopper = new AbortController();
  const counter = errorCounter();
  let running: Awaited<ReturnType<typeof startFfmpeg>>;
  try {
    running = await startFfmpeg({
      ffmpegPath,
      args: streamDecodeArgs(),
      durationSeconds: null,
      signal: AbortSignal.any([ctx.signal, stopper.signal]),
      consoleBuffer: counter.buffer,
      stdinPipe: true,
      killGraceMs: 1000,
      onActivity: () => ctx.heartbeat(),
    });
  } catch (error) {
    counter.close();
    const why = `the decoder could not start: ${error instanceof Error ? error.message : String(error)}`;
    return { finish: async () => ({ conclusive: false, why }), stop: async () => undefined };
  }
  const stdin = running.stdin!;
  const fed = follow(partialPath, stdin, writerDone.signal, stopper.signal).then(
    (read) => {
      stdin.end();
      return read;
    },
    (error: unknown) => {
      stopper.abort(error);
      stdin.destroy();
      return error instanceof Inconclusive ? error : new Inconclusive(`the output could not be followed: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  const decoded = resultWhileTracked(ctx, ffmpegPath, running);
  let settled: Promise<StreamDecode> | null = null;
  const settle = (): Promise<StreamDecode> =>
    (settled ??= (async (): Promise<StreamDecode> => {
      try {
        const [read, result] = await Promise.all([fed, decoded]);
        if (read instanceof Inconclusive) return { conclusive: false, why: read.message };
        if (result.cancelled) return { conclusive: false, why: 'stopped' };
        const frames = result.lastProgress?.frame ?? null;
        if (!result.ok) return { conclusive: false, why: `the decoder exited with ${result.exitCode ?? result.signal}${counter.lines()[0] ? `: ${counter.lines()[0]!.slice(0, 200)}` : ''}` };
        if (frames === null) return { conclusive: false, why: 'the decoder reported no frame count' };
        return { conclusive: true, errors: counter.lines(), frames, bytes: read.bytes, file: read.file };
      } finally {
        counter.close();
      }
    })().catch((error: unknown): StreamDecode => ({ conclusive: false, why: `the decode failed: ${error instanceof Error ? error.message : String(error)}` })));
  return {
    finish() {
      writerDone.abort();
      return settle();
    },
    async stop() {
      stopper.abort(new Error('not needed'));
      writerDone.abort();
      await settle();
    },
  };
}

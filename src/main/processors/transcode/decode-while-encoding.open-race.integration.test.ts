/**
 * The race CI met once: the follower's open of the not-yet-written output fails (ENOENT), the encoder
 * then writes the whole file and exits, and only after that does the follower see the failed open. It
 * must not conclude "the encoder wrote no output" from an open tried before the writer was done. The
 * thread pool's delay is made deterministic here by holding back each ENOENT by 150 ms; the decoder is
 * a real ffmpeg on a clip made here.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { recordingContext } from '../library/testing';

const held = { enoent: 0 };
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      try {
        return await real.open(...args);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          held.enoent += 1;
          await new Promise((resolve) => setTimeout(resolve, 150)); // a slow thread pool
        }
        throw error;
      }
    },
  };
});

const { fileIdentity, startDecodeWhileEncoding } = await import('./decode-while-encoding');
const run = promisify(execFile);
let dir: string;
let clip: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'decode-open-race-'));
  clip = join(dir, 'clip.mkv');
  await run('ffmpeg', ['-hide_banner', '-v', 'error', '-nostdin', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=25', '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', clip]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('reads the whole output when it appeared and the writer finished while a failed open was still on its way back', async () => {
  const ctx = recordingContext('transcode', {});
  const output = join(dir, 'race.partial.mkv');
  const decoding = await startDecodeWhileEncoding(ctx, 'ffmpeg', output);
  await new Promise((resolve) => setTimeout(resolve, 50)); // the first open has failed and is held back
  expect(held.enoent).toBeGreaterThan(0);
  const bytes = await readFile(clip);
  await writeFile(output, bytes); // the whole output, then the writer is done, before the failure is seen
  const result = await decoding.finish();
  expect(result).toEqual({ conclusive: true, errors: [], frames: 50, bytes: bytes.length, file: fileIdentity(await stat(output)) });
});

/**
 * The loop breaker's fingerprint of a file's content: its size, its mtime (ms, rounded as the
 * library records it) and a SHA-256 of its first and last MiB (the whole file when it is smaller
 * than two). Cheap on a large file, and it tells a re-encoded or replaced file from the original
 * even when a copy kept the size.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { ContentFingerprint } from '../../core/pipeline-ports';

const EDGE_BYTES = 1024 * 1024;

export async function fingerprintFile(absolutePath: string): Promise<ContentFingerprint> {
  const handle = await open(absolutePath, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(`${absolutePath} is not a file`);
    const size = info.size;
    const hash = createHash('sha256');
    const read = async (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      hash.update(buffer.subarray(0, done));
    };
    if (size <= 2 * EDGE_BYTES) await read(0, size);
    else {
      await read(0, EDGE_BYTES);
      await read(size - EDGE_BYTES, EDGE_BYTES);
    }
    return { sizeBytes: size, mtimeMs: Math.round(info.mtimeMs), hash: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

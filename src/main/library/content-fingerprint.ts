/**
 * A video file's content fingerprint, cheap enough to take before every transcode: its size, its
 * mtime and a SHA-256 of the size plus evenly spaced samples (the first and last bytes included),
 * so a multi-gigabyte file costs a few reads, not a full hash.
 *
 * Identity is size + sampled hash (`fingerprint`); the mtime is kept beside it only to know when a
 * cached fingerprint must be taken again (a replace preserves the original's mtime, and a file
 * touched without change is still the same content). Two files that differ only between samples
 * share a fingerprint: acceptable for its use, telling "these settings were already applied to this
 * content" (a loop breaker), never for deciding that two files are byte-identical.
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

export interface ContentFingerprint {
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  /** `v1:<size>:<first 32 hex of SHA-256>`. */
  readonly fingerprint: string;
}

export interface FingerprintOptions {
  /** How many samples (default 8). */
  readonly samples?: number;
  /** Bytes per sample (default 64 KiB). */
  readonly sampleBytes?: number;
}

/** Where the samples start, for a file of `size` bytes: evenly spaced, the last one ending at the end. Pure. */
export function sampleOffsets(size: number, samples: number, sampleBytes: number): number[] {
  if (size <= samples * sampleBytes) return [0];
  const last = size - sampleBytes;
  return Array.from({ length: samples }, (_, i) => Math.round((last * i) / (samples - 1)));
}

/** The fingerprint of the file at `path` (absolute). A file no larger than all samples together is hashed whole. */
export async function fingerprintFile(path: string, options: FingerprintOptions = {}): Promise<ContentFingerprint> {
  const samples = Math.max(2, options.samples ?? 8);
  const sampleBytes = options.sampleBytes ?? 64 * 1024;
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    const hash = createHash('sha256');
    const sizeField = Buffer.alloc(8);
    sizeField.writeBigUInt64BE(BigInt(info.size));
    hash.update(sizeField);
    const whole = info.size <= samples * sampleBytes;
    const buffer = Buffer.alloc(whole ? Math.max(1, info.size) : sampleBytes);
    for (const offset of sampleOffsets(info.size, samples, sampleBytes)) {
      const length = whole ? info.size : sampleBytes;
      let read = 0;
      while (read < length) {
        const { bytesRead } = await handle.read(buffer, read, length - read, offset + read);
        if (bytesRead === 0) break; // shrunk while read: the hash differs, as it should
        read += bytesRead;
      }
      hash.update(buffer.subarray(0, read));
    }
    return { sizeBytes: info.size, mtimeMs: Math.round(info.mtimeMs), fingerprint: `v1:${info.size}:${hash.digest('hex').slice(0, 32)}` };
  } finally {
    await handle.close();
  }
}

/**
 * The fingerprint of a video through a cache keyed by size and mtime: taken again only when either
 * changed (or nothing is cached). `cached` and `store` are the cache's read and write.
 */
export async function cachedFingerprint(
  path: string,
  cached: { readonly sizeBytes: number; readonly mtimeMs: number; readonly fingerprint: string } | undefined,
  store: (fingerprint: ContentFingerprint) => Promise<void>,
): Promise<ContentFingerprint> {
  const info = await stat(path);
  if (cached && cached.sizeBytes === info.size && cached.mtimeMs === Math.round(info.mtimeMs)) return cached;
  const fresh = await fingerprintFile(path);
  await store(fresh);
  return fresh;
}

import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedFingerprint, fingerprintFile, sampleOffsets } from './content-fingerprint';

const dir = mkdtempSync(join(tmpdir(), 'mjc-fingerprint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (size: number, seed = 1) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff));

describe('content fingerprint', () => {
  it('samples evenly, first and last bytes included; a small file is read whole', () => {
    expect(sampleOffsets(100, 8, 64)).toEqual([0]);
    expect(sampleOffsets(1_000, 3, 100)).toEqual([0, 450, 900]);
  });

  it('is the same for the same content whatever its name or mtime, and differs when a sampled byte or the size changes', async () => {
    const data = bytes(3 * 1024 * 1024);
    writeFileSync(join(dir, 'a.bin'), data);
    writeFileSync(join(dir, 'b.bin'), data);
    utimesSync(join(dir, 'b.bin'), 1_000, 1_000);
    const a = await fingerprintFile(join(dir, 'a.bin'));
    const b = await fingerprintFile(join(dir, 'b.bin'));
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/^v1:3145728:[0-9a-f]{32}$/);
    expect(b.mtimeMs).toBe(1_000_000);
    const last = Buffer.from(data);
    last.writeUInt8(last.readUInt8(last.length - 1) ^ 0xff, last.length - 1);
    writeFileSync(join(dir, 'c.bin'), last);
    expect((await fingerprintFile(join(dir, 'c.bin'))).fingerprint).not.toBe(a.fingerprint);
    writeFileSync(join(dir, 'd.bin'), data.subarray(0, data.length - 1));
    expect((await fingerprintFile(join(dir, 'd.bin'))).fingerprint).not.toBe(a.fingerprint);
    writeFileSync(join(dir, 'empty.bin'), '');
    expect((await fingerprintFile(join(dir, 'empty.bin'))).fingerprint).toMatch(/^v1:0:/);
  });

  it('is taken again only when the size or mtime changed', async () => {
    writeFileSync(join(dir, 'e.bin'), bytes(1000, 7));
    const stored: string[] = [];
    const store = async (f: { fingerprint: string }) => void stored.push(f.fingerprint);
    const first = await cachedFingerprint(join(dir, 'e.bin'), undefined, store);
    expect(await cachedFingerprint(join(dir, 'e.bin'), first, store)).toBe(first);
    expect(stored).toHaveLength(1);
    utimesSync(join(dir, 'e.bin'), 5, 5);
    const again = await cachedFingerprint(join(dir, 'e.bin'), first, store);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(stored).toHaveLength(2);
  });
});

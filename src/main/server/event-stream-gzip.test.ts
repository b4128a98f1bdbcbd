/**
 * The shared-piece gzip stream: what a client is sent must be a gzip stream that zlib reads back
 * byte for byte, live (each piece readable as it arrives) and at its end (trailer: CRC-32 and
 * length checked by gunzip), while the pieces themselves are the same bytes for every client.
 */
import { randomBytes } from 'node:crypto';
import { createGunzip, crc32, gunzipSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, combineCrc, crcShiftOperator, deflatePiece, GzipEventStream, sharedPiece, type ByteSink } from './event-stream-gzip';

/** A sink that keeps what a client was sent. */
function collecting(): ByteSink & { bytes: () => Buffer; ended: () => boolean } {
  const chunks: Buffer[] = [];
  let ended = false;
  return {
    write: (b) => void chunks.push(b),
    end: (b) => {
      if (b) chunks.push(b);
      ended = true;
    },
    bytes: () => Buffer.concat(chunks),
    ended: () => ended,
  };
}

const frame = (i: number) => Buffer.from(`id: ${i}\nevent: job.created\ndata: {"type":"job.created","job":{"id":"01a2522e-${String(i).padStart(4, '0')}"}}\n\n`);

describe('CRC-32 carried forward piece by piece (crc32_combine)', () => {
  it.each([0, 1, 2, 3, 7, 8, 255, 256, 4096, 65_537, 1_000_003])('gives the CRC-32 of A then B for B of %i bytes', (length) => {
    const a = randomBytes(1 + (length % 97));
    const b = randomBytes(length);
    expect(combineCrc(crc32(a), crc32(b), crcShiftOperator(b.length))).toBe(crc32(Buffer.concat([a, b])));
  });

  it('carries through many pieces of every size from a zero start', () => {
    let crc = 0;
    const all: Buffer[] = [];
    for (let i = 0; i < 200; i++) {
      const piece = randomBytes((i * 37) % 1500);
      all.push(piece);
      crc = combineCrc(crc, crc32(piece), crcShiftOperator(piece.length));
    }
    expect(crc).toBe(crc32(Buffer.concat(all)));
  });
});

describe('GzipEventStream', () => {
  it('sends a gzip stream that gunzip reads back exactly, its trailer included, whatever mix of shared and own pieces it carries', () => {
    const sink = collecting();
    const stream = new GzipEventStream(sink);
    stream.header();
    const sent: Buffer[] = [];
    const send = (b: Buffer) => {
      stream.send(b);
      sent.push(b);
    };
    send(Buffer.from('retry: 2000\n\n'));
    for (let i = 0; i < 50; i++) send(i % 7 === 0 ? Buffer.concat(Array.from({ length: i + 1 }, (_, k) => frame(k))) : frame(i));
    send(Buffer.alloc(0)); // nothing: nothing sent
    send(randomBytes(70_000)); // incompressible, larger than deflate's window
    const last = Buffer.from('event: lagging\ndata: {}\n\n');
    stream.end(last);
    sent.push(last);
    expect(sink.ended()).toBe(true);
    // gunzipSync checks the trailer's CRC-32 and length: a wrong one throws
    expect(gunzipSync(sink.bytes()).equals(Buffer.concat(sent))).toBe(true);
  });

  it('is readable live: every piece comes out of a streaming gunzip as soon as it is written, before the stream ends', async () => {
    const gunzip = createGunzip();
    const out: Buffer[] = [];
    gunzip.on('data', (b: Buffer) => out.push(b));
    const stream = new GzipEventStream({ write: (b) => void gunzip.write(b), end: (b) => void gunzip.end(b) });
    stream.header();
    const written: Buffer[] = [];
    for (let i = 0; i < 5; i++) {
      const bytes = frame(i);
      stream.send(bytes);
      written.push(bytes);
      // no flush asked of the reader: what a browser's decoder gets is all there is
      const deadline = Date.now() + 2_000;
      while (Buffer.concat(out).length < Buffer.concat(written).length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(Buffer.concat(out).equals(Buffer.concat(written))).toBe(true);
    }
    const ended = new Promise<void>((resolve, reject) => {
      gunzip.on('end', resolve);
      gunzip.on('error', reject);
    });
    gunzip.resume();
    stream.end();
    await ended;
    expect(Buffer.concat(out).equals(Buffer.concat(written))).toBe(true);
  });

  it('deflates a shared buffer once: every client is sent the very same piece', () => {
    const flush = Buffer.concat(Array.from({ length: 300 }, (_, i) => frame(i)));
    const clients = [collecting(), collecting(), collecting()];
    const streams = clients.map((sink) => new GzipEventStream(sink));
    // the clients joined at different times: the first had an own piece before
    streams[0]!.send(frame(999));
    const before = clients.map((c) => c.bytes().length);
    for (const s of streams) s.send(flush);
    const pieces = clients.map((c, i) => c.bytes().subarray(before[i]));
    expect(pieces[1]!.equals(pieces[0]!)).toBe(true);
    expect(pieces[2]!.equals(pieces[0]!)).toBe(true);
    expect(sharedPiece(flush)).toBe(sharedPiece(flush));
    expect(sharedPiece(flush).deflated.length).toBeLessThan(flush.length / 3);
  });

  it('sends nothing after its end', () => {
    const sink = collecting();
    const stream = new GzipEventStream(sink);
    stream.header();
    stream.end();
    const length = sink.bytes().length;
    stream.send(frame(1));
    stream.end(frame(2));
    expect(sink.bytes().length).toBe(length);
    expect(gunzipSync(sink.bytes()).length).toBe(0);
  });

  it('a piece is a non-final run of deflate blocks, ending byte-aligned: two pieces back to back, then the final block, inflate as one stream', () => {
    const a = deflatePiece(frame(1));
    const b = deflatePiece(frame(2));
    expect(a.deflated[0]! & 1).toBe(0); // BFINAL clear on the first block
    expect(a.deflated.subarray(-4).equals(Buffer.from([0x00, 0x00, 0xff, 0xff]))).toBe(true); // the sync flush's empty stored block
    expect(inflateRawSync(Buffer.concat([a.deflated, b.deflated, Buffer.from([0x03, 0x00])])).equals(Buffer.concat([frame(1), frame(2)]))).toBe(true);
    // copied to its own size: neither a slice of zlib's 16-KiB output buffer nor of Node's shared 8-KiB pool
    expect(a.deflated.buffer.byteLength).toBe(a.deflated.length);
  });
});

describe('acceptsGzip (Accept-Encoding)', () => {
  it.each<[string | string[] | undefined, boolean]>([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['gzip, deflate, br, zstd', true], // Chromium's EventSource
    ['GZip', true],
    ['deflate, gzip;q=1.0, *;q=0.5', true],
    ['gzip;q=0', false],
    ['gzip; q=0.000', false],
    ['gzip;q=0.001', true],
    ['x-gzip', true],
    ['identity', false],
    ['br, deflate', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    [['br', 'gzip'], true],
  ])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

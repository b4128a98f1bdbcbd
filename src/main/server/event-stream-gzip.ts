/**
 * A gzip-encoded event stream whose compressed bytes are shared by every client.
 *
 * Why: each flush of the event stream is written to every connected client (EventBroadcaster), and
 * with 200 clients the bytes copied into their sockets were most of what the clients cost the
 * server (bench `api.events.fanout_cost`); a browser on another machine also reads them over its
 * network. Compressing each client's stream with its own zlib context would cost the server a
 * deflate per client per flush. Instead, each buffer is deflated once, on its own (a fresh raw
 * deflate, ended with a sync flush: byte-aligned, not final, referring to nothing before it), and
 * such pieces placed one after another are a valid deflate stream whatever came before them. So the
 * one compressed piece of a flush goes to every gzip client, as the uncompressed buffer goes to the
 * others: a burst of creates costs ~13 bytes a job a client instead of ~31.
 *
 * What stays per client is the gzip framing: the header, sent first, and at the end a final empty
 * block and the trailer (CRC-32 and length of everything the client was sent). The CRC-32 of a
 * client's stream is carried forward per piece by zlib's crc32_combine method: each piece keeps its
 * own CRC and the operator that shifts a CRC past its length (both computed once, shared), so a
 * client's CRC costs ~32 steps a flush, not a pass over the bytes.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** gzip member header: magic, deflate, no flags, no time, no extra flags, OS unknown (RFC 1952). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);
/** A final, empty, fixed-Huffman deflate block (BFINAL 1, BTYPE 01, end of block): ends the deflate data. */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);
/** Speed over ratio: a flush is deflated while creates wait; level 6 saved ~4 % more bytes for ~1.6× the time. */
const LEVEL = 1;

/** The reflected CRC-32 polynomial (zlib's). */
const POLY = 0xedb88320;

/** a × b modulo the CRC polynomial (reflected bit order, zlib's multmodp). */
function multiplyModPoly(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo the polynomial, k = 0…31. */
const X_TO_2_TO_K: number[] = (() => {
  const table: number[] = [];
  let p = 0x40000000; // x^1
  table.push(p);
  for (let k = 1; k < 32; k++) table.push((p = multiplyModPoly(p, p)));
  return table;
})();

/** The operator that moves a CRC-32 past `bytes` more bytes: x^(8·bytes) modulo the polynomial (zlib's crc32_combine_gen). */
export function crcShiftOperator(bytes: number): number {
  let p = 0x80000000; // x^0
  let k = 3; // 8 bits a byte
  for (let n = bytes; n > 0; n = Math.floor(n / 2), k++) {
    if (n % 2 === 1) p = multiplyModPoly(X_TO_2_TO_K[k & 31]!, p);
  }
  return p;
}

/** The CRC-32 of A followed by B, from the CRC of A, the CRC of B and B's shift operator (zlib's crc32_combine_op). */
export function combineCrc(crcA: number, crcB: number, shiftB: number): number {
  return (multiplyModPoly(shiftB, crcA) ^ crcB) >>> 0;
}

/** One buffer deflated on its own: the same bytes for every client it goes to. */
export interface DeflatedPiece {
  readonly deflated: Buffer;
  readonly crc: number;
  readonly length: number;
  readonly shift: number;
}

/**
 * The bytes in memory of their own: deflateRawSync answers a slice of zlib's 16-KiB output buffer,
 * and Buffer.from copies anything under 4 KiB into a slice of Node's shared 8-KiB pool; either
 * would let a cached piece of a hundred bytes keep kilobytes alive (journal frames keep theirs).
 */
function ownCopy(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

export function deflatePiece(bytes: Buffer): DeflatedPiece {
  return {
    deflated: ownCopy(deflateRawSync(bytes, { level: LEVEL, finishFlush: constants.Z_SYNC_FLUSH })),
    crc: crc32(bytes),
    length: bytes.length,
    shift: crcShiftOperator(bytes.length),
  };
}

/**
 * Flushes' buffers are shared by their clients (one Buffer a form a flush, or a journal entry's own
 * frame): the first gzip client to be sent one deflates it, the others reuse that piece. Weak, so a
 * piece lives as long as its buffer.
 */
const pieces = new WeakMap<Buffer, DeflatedPiece>();

export function sharedPiece(bytes: Buffer): DeflatedPiece {
  let piece = pieces.get(bytes);
  if (piece === undefined) pieces.set(bytes, (piece = deflatePiece(bytes)));
  return piece;
}

/** Where a client's compressed bytes go (the response). */
export interface ByteSink {
  write(bytes: Buffer): void;
  end(bytes?: Buffer): void;
}

/** One client's gzip stream: `header()` first, then `send` for every buffer, then `end`. */
export class GzipEventStream {
  private crc = 0;
  private length = 0;
  private ended = false;

  constructor(private readonly sink: ByteSink) {}

  header(): void {
    this.sink.write(GZIP_HEADER);
  }

  /** Sends `bytes` (uncompressed), deflated once for all clients that are sent the same buffer. */
  send(bytes: Buffer): void {
    this.sendPiece(sharedPiece(bytes));
  }

  sendPiece(piece: DeflatedPiece): void {
    if (this.ended || piece.length === 0) return;
    this.crc = combineCrc(this.crc, piece.crc, piece.shift);
    this.length = (this.length + piece.length) % 0x1_0000_0000;
    this.sink.write(piece.deflated);
  }

  /** Ends the stream after `last` (optional): the final block and the trailer, so the client's gunzip ends cleanly. */
  end(last?: Buffer): void {
    if (this.ended) return;
    if (last !== undefined) this.send(last);
    this.ended = true;
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc, 0);
    trailer.writeUInt32LE(this.length, 4);
    this.sink.end(Buffer.concat([FINAL_EMPTY_BLOCK, trailer]));
  }
}

/**
 * Whether an Accept-Encoding header takes gzip: listed (or `*`) without q=0 (RFC 9110 §12.5.3).
 * `identity` and the others are left to the uncompressed stream.
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const text = Array.isArray(header) ? header.join(',') : header;
  let star: boolean | undefined;
  for (const part of text.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (name === 'gzip' || name === 'x-gzip') return accepted;
    if (name === '*') star = accepted;
  }
  return star ?? false;
}

/**
 * Job ids: time-ordered UUIDs (version 7, RFC 9562), and the short token that names a job in file
 * names and on screen.
 *
 * Why version 7: the stores keep a UNIQUE index on the id. Random (v4) ids land anywhere in it, so
 * a batch of 1,000 new jobs dirtied ~550 of its pages, each written to the WAL at the commit (most
 * of what a bulk insert cost, bench `queue.enqueue.bulk`). A v7 id starts with the creation time in
 * milliseconds, so new ids land together at the end of the index.
 *
 * Layout: 48 bits of Unix time (ms) | version 7 | 12 bits `rand_a`, used as a counter within a
 * millisecond (RFC 9562 §6.2, method 1: seeded at random below 0x800 each new millisecond, so
 * thousands more fit) | variant 0b10 | 62 random bits. Ids made by one process are strictly
 * increasing, also when the clock steps back (the last time is kept until the clock passes it).
 *
 * Because the first digits are a time, two jobs made in the same minute share them: anything that
 * needs a short unique part of the id takes its LAST digits (random in v7, and in the v4 ids of
 * jobs made before), through jobIdToken.
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const TWO_POW_32 = 0x1_0000_0000;
const COUNTER_MAX = 0xfff;
/** A new millisecond's counter starts below this, leaving at least 2,048 increments in it. */
const COUNTER_SEED_LIMIT = 0x800;

let lastMs = -1;
let counter = 0;
const bytes = new Uint8Array(16);

/** A new job id (UUID version 7). `nowMs` is for tests; the wall clock otherwise. */
export function newJobId(nowMs: number = Date.now()): string {
  crypto.getRandomValues(bytes);
  let ms = Math.max(Math.floor(nowMs), lastMs);
  if (ms > lastMs) {
    counter = ((bytes[6]! << 8) | bytes[7]!) % COUNTER_SEED_LIMIT;
  } else if (++counter > COUNTER_MAX) {
    ms += 1; // the counter ran out within one millisecond: borrow the next one (stays increasing)
    counter = ((bytes[6]! << 8) | bytes[7]!) % COUNTER_SEED_LIMIT;
  }
  lastMs = ms;
  const high = Math.floor(ms / TWO_POW_32); // top 16 of the 48 time bits
  const low = ms % TWO_POW_32;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = (low >>> 24) & 0xff;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes[6] = 0x70 | (counter >>> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[bytes[i]!];
  }
  return out;
}

/** Pipeline runs take the same kind of id: their table is keyed by it too. */
export const newPipelineRunId = (): string => newJobId();

/** The creation time written in a v7 id, epoch ms; null for an id of another version. */
export function jobIdTime(id: string): number | null {
  if (id.length !== 36 || id[14] !== '7') return null;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** Digits of a job id that name it in file names and on screen: the last ones, random in v4 and v7 ids alike. */
export const JOB_TOKEN_LENGTH = 8;

/**
 * The short token of a job id: its last 8 hex digits. Never the first ones, which in a v7 id are
 * the creation time, the same for every job made within ~65 s.
 */
export function jobIdToken(id: string): string {
  return id.slice(-JOB_TOKEN_LENGTH);
}

/** Which twin goes on: the rule as a table, and the pick among a video's open transcodes. */
import { describe, expect, it } from 'vitest';
import type { OpenTranscode } from '../../core/transcode-ports';
import { isAhead, twinAhead } from './transcode-twins';

const starting = { id: 'me', seq: 10, startedAt: 5_000 };
const twin = (over: Partial<OpenTranscode>): OpenTranscode => ({ id: 'other', seq: 5, status: 'running', startedAt: 4_000, params: { videoId: 'v', codec: 'hevc' }, ...over });

describe('isAhead', () => {
  const cases: [what: string, over: Partial<OpenTranscode>, ahead: boolean][] = [
    ['older, started earlier (running)', { seq: 5, startedAt: 4_000 }, true],
    ['newer, started earlier (an older one retried later by hand is the one that waits)', { seq: 20, startedAt: 4_000 }, true],
    ['older, started later (it was retried while this one was already running)', { seq: 5, startedAt: 6_000 }, false],
    ['newer, started later', { seq: 20, startedAt: 6_000 }, false],
    ['same millisecond, lower seq', { seq: 9, startedAt: 5_000 }, true],
    ['same millisecond, higher seq', { seq: 11, startedAt: 5_000 }, false],
    ['never started (pending, paused, reopened by a retry), older', { seq: 1, startedAt: null, status: 'paused' }, false],
    ['never started, newer', { seq: 20, startedAt: null, status: 'pending' }, false],
    ['itself (its own row)', { id: 'me', seq: 10, startedAt: 5_000 }, false],
  ];
  it.each(cases)('%s → %s', (_what, over, ahead) => {
    expect(isAhead(twin(over), starting)).toBe(ahead);
  });

  it('is a strict order: of two started twins exactly one is ahead of the other', () => {
    const times = [4_000, 5_000, 6_000];
    for (const a of times) for (const b of times) {
      const x = { id: 'x', seq: 1, startedAt: a };
      const y = { id: 'y', seq: 2, startedAt: b };
      expect(Number(isAhead(x, y)) + Number(isAhead(y, x)), `${a} vs ${b}`).toBe(1);
    }
  });
});

describe('twinAhead', () => {
  it('picks the first open transcode ahead with the same settings key; other settings are other work', () => {
    const keyOf = (t: OpenTranscode) => String(t.params.codec);
    const open = [twin({ id: 'av1', params: { videoId: 'v', codec: 'av1' } }), twin({ id: 'late', startedAt: 9_000 }), twin({ id: 'hevc' })];
    expect(twinAhead(starting, 'hevc', open, keyOf)?.id).toBe('hevc');
    expect(twinAhead(starting, 'h264', open, keyOf)).toBeUndefined();
    expect(twinAhead(starting, 'hevc', [], keyOf)).toBeUndefined();
  });
});

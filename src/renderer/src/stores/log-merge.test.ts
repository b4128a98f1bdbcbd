import { describe, expect, it } from 'vitest';
import type { JobLogLine } from '../../../shared/contracts/job';
import { linesAfterLoad, type ReceivedLine } from './log-merge';

const at = (s: number) => new Date(Date.UTC(2026, 11, 8, 1, 0, s)).toISOString();
const stored = (...pairs: Array<[number, string]>): JobLogLine[] => pairs.map(([s, text], i) => ({ line: i + 1, at: at(s), text }));
const received = (...pairs: Array<[number, string]>): ReceivedLine[] => pairs.map(([s, text]) => ({ at: at(s), text }));
const texts = (lines: readonly JobLogLine[]) => lines.map((l) => `${l.line}:${l.text}`);

describe('linesAfterLoad', () => {
  const rows: Array<{ name: string; stored: JobLogLine[]; seeded: ReceivedLine[]; held: ReceivedLine[]; expected: string[] }> = [
    { name: 'a line sent before the open and not stored yet is appended', stored: [], seeded: received([1, 'starting']), held: [], expected: ['1:starting'] },
    { name: 'a seeded line already stored is not shown twice', stored: stored([1, 'starting']), seeded: received([1, 'starting']), held: [], expected: [] },
    { name: 'held lines: the stored ones skipped, the newer appended in order', stored: stored([1, 'a'], [2, 'b']), seeded: [], held: received([2, 'b'], [3, 'c']), expected: ['3:c'] },
    {
      name: 'two identical lines, one stored: the other is appended',
      stored: stored([1, 'frame']),
      seeded: received([1, 'frame'], [1, 'frame']),
      held: [],
      expected: ['2:frame'],
    },
    {
      name: 'a stored line that is not one of the last 500 is still matched (a chatty job)',
      stored: Array.from({ length: 800 }, (_, i) => ({ line: i + 1, at: at(1), text: `file ${i}` })),
      seeded: Array.from({ length: 800 }, (_, i) => ({ at: at(1), text: `file ${i}` })),
      held: received([2, 'done']),
      expected: ['801:done'],
    },
    {
      name: 'a seeded line the server dropped from the middle of its log is not appended after newer ones',
      stored: stored([1, 'head'], [5, 'tail']),
      seeded: received([1, 'head'], [3, 'dropped'], [5, 'tail'], [6, 'new']),
      held: [],
      expected: ['3:new'],
    },
    {
      name: 'a line still waiting for its flush is appended though the store wrote a line with a later time meanwhile (a cancel request)',
      stored: stored([1, 'a'], [5, 'Cancel requested']),
      seeded: received([1, 'a'], [3, 'encoding']),
      held: [],
      expected: ['3:encoding'],
    },
    {
      name: 'a held line received before a held line already stored was dropped by the server: left out',
      stored: stored([1, 'a'], [3, 'c']),
      seeded: [],
      held: received([2, 'b'], [3, 'c'], [4, 'd']),
      expected: ['3:d'],
    },
    {
      name: 'a line with a NUL character matches its stored copy, which PostgreSQL keeps without it',
      stored: stored([1, 'a'], [2, 'bad\u0000byte'.replace('\u0000', '')]),
      seeded: received([1, 'a'], [2, 'bad\u0000byte']),
      held: [],
      expected: [],
    },
    {
      name: 'seeded, then held: numbered on in the order received',
      stored: stored([1, 'a']),
      seeded: received([1, 'a'], [2, 'b']),
      held: received([3, 'c']),
      expected: ['2:b', '3:c'],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(texts(linesAfterLoad(row.stored, row.stored.length, row.seeded, row.held))).toEqual(row.expected);
    });
  }
});

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LimitedStatements } from './limited-statements';

describe('LimitedStatements', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY); INSERT INTO t (n) VALUES (1), (2), (3), (4), (5);');
  const reads = new LimitedStatements<[number], { n: number }>(db, (limit) => `SELECT n FROM t WHERE n >= ? ORDER BY n LIMIT ${limit}`);

  it('writes the limit into the statement and keeps one statement per limit', () => {
    expect(reads.get(2).all(2).map((r) => r.n)).toEqual([2, 3]);
    expect(reads.get(0).all(1)).toEqual([]);
    expect(reads.get(9).all(4).map((r) => r.n)).toEqual([4, 5]);
    expect(reads.get(2)).toBe(reads.get(2));
    expect(reads.get(3)).not.toBe(reads.get(2));
  });

  it('refuses what is not a LIMIT (it is written into SQL)', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => reads.get(bad)).toThrow(/Not a LIMIT/);
  });

  it('keeps at most 64 statements, dropping the oldest', () => {
    const first = reads.get(100);
    for (let limit = 101; limit < 200; limit++) reads.get(limit);
    expect(reads.get(100)).not.toBe(first);
    expect(reads.get(100).all(1)).toHaveLength(5);
  });
});

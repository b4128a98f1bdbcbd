import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jobIdTime, jobIdToken, newJobId } from './job-ids';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('job ids (UUIDv7)', () => {
  it('are RFC 9562 version 7 UUIDs with the creation time first, accepted by the params schemas', () => {
    const at = Date.UTC(2026, 11, 7, 1, 2, 3, 456);
    const id = newJobId(at + 10_000); // later than any id made before in this file
    expect(id).toMatch(V7);
    expect(jobIdTime(id)).toBe(at + 10_000);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(jobIdTime('0f0e0d0c-0b0a-4909-8807-060504030201')).toBeNull(); // a v4 id
  });

  it('increase strictly within one millisecond, past the counter, and when the clock steps back', () => {
    const at = Date.now() + 60_000;
    const ids = Array.from({ length: 10_000 }, () => newJobId(at)); // more than the 12-bit counter holds
    ids.push(newJobId(at - 5_000), newJobId(at - 5_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(jobIdTime(ids[0]!)).toBe(at);
    expect(jobIdTime(ids.at(-1)!)!).toBeGreaterThan(at); // borrowed later milliseconds, never earlier ones
    expect(jobIdTime(ids.at(-1)!)!).toBeLessThan(at + 10);
  });

  it('have a short token from their random end: jobs made in the same millisecond get different tokens', () => {
    const at = Date.now() + 120_000;
    const ids = Array.from({ length: 1_000 }, () => newJobId(at));
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBe(1); // the first digits are the time
    const tokens = ids.map(jobIdToken);
    expect(tokens.every((t) => /^[0-9a-f]{8}$/.test(t))).toBe(true);
    expect(new Set(tokens).size).toBe(ids.length);
    expect(jobIdToken('0f0e0d0c-0000-4000-8000-00000000abcd')).toBe('0000abcd');
  });
});

/**
 * Sending wake-ups is best effort: one that cannot be sent (the database refused the NOTIFY) costs
 * the other nodes at most one polling interval, and is said once in the log until one goes through
 * again. A pool that fails on demand stands in for the database (the fleet tests send real ones).
 */
import { describe, expect, it, vi } from 'vitest';
import type { Pool } from './pg-db';
import { PgWakeChannel } from './pg-wake';

function channelWithPool(fail: () => boolean) {
  const sent: string[] = [];
  const tries = { count: 0 };
  const pool = {
    query: async (_sql: string, args: [string, string]) => {
      tries.count += 1;
      if (fail()) throw new Error('connection refused');
      sent.push(JSON.parse(args[1]).r as string);
      return { rows: [] };
    },
  } as unknown as Pool;
  const warnings: string[] = [];
  const channel = new PgWakeChannel(pool, 'postgres://unused', 'n1', 'i1', { warn: (text: string) => warnings.push(text) });
  return { channel, sent, warnings, tries };
}

describe('sending wake-ups', () => {
  it('says once that wake-ups cannot be sent, and again only after one went through', async () => {
    let failing = true;
    const { channel, sent, warnings, tries } = channelWithPool(() => failing);
    channel.notify('work');
    channel.notify('flags');
    await vi.waitFor(() => expect(tries.count).toBe(2));
    await new Promise((resolve) => setImmediate(resolve)); // both failures handled
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Fleet wake-ups: a '(work|flags)' wake-up could not be sent \(connection refused\); the other nodes pick the work up at their next poll\.$/);
    failing = false;
    channel.notify('work');
    await vi.waitFor(() => expect(sent).toEqual(['work']));
    failing = true;
    channel.notify('work');
    await vi.waitFor(() => expect(warnings).toHaveLength(2));
  });
});

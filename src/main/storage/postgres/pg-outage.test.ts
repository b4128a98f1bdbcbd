/** rideOutage: tries again only while the server is unreachable, and only within its budget. */
import { describe, expect, it } from 'vitest';
import { isConnectionLoss } from '../../core/database-reachability';
import { rideOutage } from './pg-db';

const lost = (code: string) => Object.assign(new Error(`lost: ${code}`), { code });

describe('riding out a database outage', () => {
  it.each([
    ['57P01', true], // terminating connection due to administrator command (restart)
    ['57P03', true], // the database system is starting up
    ['08006', true],
    ['ECONNREFUSED', true],
    ['23505', false], // unique violation: an answer, not an outage
    ['40P01', false],
    ['42P01', false],
  ])('%s is an outage: %s', (code, outage) => {
    expect(isConnectionLoss(lost(code))).toBe(outage);
  });

  it('tries again through an outage and returns the result', async () => {
    let calls = 0;
    const result = await rideOutage(5_000, async () => {
      calls += 1;
      if (calls < 3) throw lost('ECONNREFUSED');
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('lets any other error through at once, and an outage once the budget is spent', async () => {
    let calls = 0;
    await expect(rideOutage(5_000, async () => ((calls += 1), Promise.reject(lost('23505'))))).rejects.toThrow('23505');
    expect(calls).toBe(1);
    const started = Date.now();
    await expect(rideOutage(400, async () => Promise.reject(lost('57P01')))).rejects.toThrow('57P01');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

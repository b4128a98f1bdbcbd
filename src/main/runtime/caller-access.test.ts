/**
 * The runtime enforces the operations table's access for whoever calls it (the HTTP server
 * checks first, the IPC bridge calls as the desktop admin): generated from the table, every
 * operation × every role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, roleAllows } from '../../shared/contracts/access';
import { isAppError } from '../../shared/contracts/errors';
import { OPERATIONS, OPERATION_NAMES } from '../../shared/contracts/operations';
import { startTestRuntime, type TestRuntime } from './testing/test-runtime';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t.dispose();
});

describe('runtime.execute for a caller', () => {
  for (const name of OPERATION_NAMES) {
    for (const role of ROLES) {
      const allowed = roleAllows(role, OPERATIONS[name].access);
      it(`${name} as ${role}: ${allowed ? 'not refused for its role' : 'FORBIDDEN before its input is read'}`, async () => {
        // an invalid input: an allowed call fails validation (or succeeds), a refused one never gets that far
        const outcome = await t.runtime.execute(name, { id: 'not-a-uuid' }, { name: `t-${role}`, role }).then(
          () => null,
          (error: unknown) => (isAppError(error) ? error.code : String(error)),
        );
        if (allowed) expect(outcome).not.toBe('FORBIDDEN');
        else expect(outcome).toBe('FORBIDDEN');
      });
    }
  }

  it('records the caller on the jobs it creates and names it in the log of its actions', async () => {
    await t.runtime.execute('pauseQueue', {});
    const { id } = await t.runtime.execute('createJob', { type: 'scan', params: {} }, { name: 'ci', role: 'operate' });
    await t.runtime.execute('cancelJob', { id }, { name: 'night-shift', role: 'operate' });
    const job = await t.runtime.execute('getJob', { id }, { name: 'viewer', role: 'read' });
    expect(job.createdBy).toBe('ci');
    expect(job.log).toMatch(/--- JOB CANCELLED BY night-shift \(operate\) ---$/);
    await t.runtime.execute('resumeQueue', {});
  });
});

/**
 * Issue #15, item 4: the create-time VRAM check asks the fleet, not the node the request came
 * through. A 4 GB node accepts a scene_extract (8 GB) that a 24 GB node then runs; a job no online
 * node could ever hold is refused through any node, and the error names the largest budget.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/contracts/errors';
import { startPostgres, type PostgresServer } from '../storage/testing/postgres-server';
import { startFleetTestNode, type FleetTestNode } from './testing/fleet-test-node';
import { waitFor } from './testing/test-runtime';

const FAST = { pollMs: 200, heartbeatMs: 500, sweepMs: 60_000, leaseMs: 30_000 };

describe('creating GPU jobs in a fleet with different VRAM budgets', { timeout: 90_000 }, () => {
  let server: PostgresServer;
  let nodes: FleetTestNode[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    nodes = [];
  });
  afterAll(async () => server?.stop());

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => (isAppError(error) ? { code: error.code, message: error.message, details: error.details } : { code: 'OTHER', message: String(error), details: null }),
    );

  it('accepts through a small node what a big one can run, and refuses only what no node can hold', async () => {
    const url = await server.createDatabase();
    const small = await startFleetTestNode(url, 'small', { fleet: FAST, config: { declaredVramMb: 4_000 } });
    const big = await startFleetTestNode(url, 'big', { fleet: FAST, config: { declaredVramMb: 24_000 } });
    nodes.push(small, big);

    const { id } = await small.runtime.execute('createJob', { type: 'scene_extract', params: { sleepMs: 50 } });
    await waitFor(async () => (await big.runtime.execute('getJob', { id })).status === 'completed', 20_000, 'the big node to run it');
    expect((await big.runtime.execute('getJob', { id })).nodeId).toBe('big');

    for (const through of [small, big]) {
      const refused = await refusal(through.runtime.execute('createJob', { type: 'scene_extract', params: {}, vramRequired: 30_000 }));
      expect(refused?.code).toBe('VRAM_OUT_OF_RANGE');
      expect(refused?.message).toMatch(/largest VRAM budget is 24000 MB \(node big\)/);
      expect(refused?.details).toMatchObject({ maximum: 24_000, nodeId: 'big', got: 30_000 });
    }
  });

  it('does not let a front node without slots or a budget accept what its GPU nodes can never hold', async () => {
    const url = await server.createDatabase();
    const front = await startFleetTestNode(url, 'front', { fleet: FAST, config: { declaredVramMb: null, limits: { cpu: 0, gpu_encode: 0, gpu_ai: 0 } } });
    const gpu = await startFleetTestNode(url, 'gpu', { fleet: FAST, config: { declaredVramMb: 8_000 } });
    nodes.push(front, gpu);
    const refused = await refusal(front.runtime.execute('createJob', { type: 'scene_extract', params: {}, vramRequired: 12_000 }));
    expect(refused).toMatchObject({ code: 'VRAM_OUT_OF_RANGE', details: { maximum: 8_000, nodeId: 'gpu' } });
    expect(await refusal(front.runtime.execute('createJob', { type: 'scene_extract', params: { sleepMs: 0 }, vramRequired: 8_000 }))).toBeNull();
  });
});

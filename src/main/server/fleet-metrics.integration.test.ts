/**
 * Metrics on a fleet: 3 nodes on one real PostgreSQL, each with its own server. Every transition
 * counts once, on the node that made it: summed over the nodes' /metrics, media_jobs_total counts
 * each of N jobs created once, started once and completed once (relayed events are not counted
 * again on every node), and no waiting-reason rewrite counts as a transition to queued (each job
 * became queued at most once). The stats are fleet-wide, with a per-node VRAM breakdown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startPostgres, type PostgresServer } from '../storage/testing/postgres-server';
import { startFleetTestNode, type FleetTestNode } from '../runtime/testing/fleet-test-node';
import { waitFor } from '../runtime/testing/test-runtime';
import { testTokenRegistry } from './testing/test-tokens';
import { createServer } from './create-server';

const TOKEN = 'fleet-metrics-token-0123456789abcdef';
const N = 30;

function totals(text: string, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm'))) {
    const status = /status="([^"]+)"/.exec(m[1]!)![1]!;
    out[status] = (out[status] ?? 0) + Number(m[2]);
  }
  return out;
}

describe('fleet metrics: 3 nodes, one PostgreSQL', { timeout: 120_000 }, () => {
  let pg: PostgresServer;
  const nodes: FleetTestNode[] = [];
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    const url = await pg.createDatabase();
    const budgets = [4096, 8192, null];
    for (const [i, budget] of budgets.entries()) {
      // one cpu slot each and 30 jobs: most wait, and their waiting reasons are explained again as the queue moves
      const node = await startFleetTestNode(url, `node-${i}`, {
        fleet: { heartbeatMs: 200 },
        config: { limits: { cpu: 1, gpu_encode: 1, gpu_ai: 1 }, declaredVramMb: budget, vramHeadroomMb: 0 },
      });
      nodes.push(node);
      apps.push(await createServer({ runtime: node.runtime, tokens: testTokenRegistry(TOKEN), version: 'test', health: () => ({}), rendererDir: null }));
    }
  }, 60_000);
  afterAll(async () => {
    for (const app of apps) await app.close();
    await Promise.all(nodes.map((n) => n.close()));
    await pg?.stop();
  });

  const scrape = async (app: FastifyInstance) => {
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}`, host: 'localhost' } });
    expect(response.statusCode).toBe(200);
    return response.body;
  };

  it('sums media_jobs_total over nodes to exactly one per real transition', async () => {
    for (let i = 0; i < N; i++) await nodes[i % 3]!.runtime.execute('createJob', { type: 'validate', params: { sleepMs: 20 } });
    await waitFor(async () => (await nodes[0]!.runtime.execute('getStats', {})).completed === N, 60_000, 'all jobs to complete');

    const perNode = await Promise.all(apps.map(async (app) => totals(await scrape(app), 'media_jobs_total')));
    const sum = (status: string) => perNode.reduce((a, t) => a + (t[status] ?? 0), 0);
    const stats = await nodes[1]!.runtime.execute('getStats', {});
    expect(sum('completed')).toBe(N);
    expect(sum('completed')).toBe(stats.completed);
    expect(sum('pending')).toBe(N); // created, once, on the node that created them
    expect(perNode.map((t) => t.pending ?? 0)).toEqual([10, 10, 10]);
    expect(sum('running')).toBe(N); // no retries: one start each
    expect(sum('queued')).toBeLessThanOrEqual(N); // pending → queued at most once per job
    expect(sum('failed') + sum('cancelled')).toBe(0);
  });

  it('reports VRAM used and available fleet-wide, with a per-node breakdown', async () => {
    await waitFor(async () => (await nodes[0]!.runtime.execute('getStats', {})).nodes.filter((n) => n.state === 'online').length === 3, 10_000, 'three online nodes');
    for (const node of nodes) {
      const stats = await node.runtime.execute('getStats', {});
      expect(stats.scope).toBe('fleet');
      expect(stats.totalVramAvailable).toBe(4096 + 8192);
      expect(stats.nodes.map((n) => [n.id, n.vramBudgetMb]).sort()).toEqual([['node-0', 4096], ['node-1', 8192], ['node-2', null]]);
      expect(stats.totalVramUsed).toBe(0);
    }
    const text = await scrape(apps[2]!);
    expect(text).toMatch(/^media_vram_budget_mb 12288$/m);
    expect(text).toMatch(/^media_node_vram_budget_mb\{node="node-1"\} 8192$/m);
  });
});

/**
 * api.*: the HTTP API of the real headless server holding a million jobs (bench/api-store.ts),
 * started as its own process (bench/api-server.ts).
 *
 *   - api.list.*.p95_ms: GET /api/media/jobs, limit 20 — the first page and a deep page (page
 *     25,000: offset 499,980), unfiltered and with status=completed (deep page: the middle of
 *     that status); api.list.p95_ms is the worst of the four.
 *   - api.stats.p95_ms: GET /api/media/jobs/stats.
 *   - api.rss_mb: VmRSS of the server process after all the requests.
 *   - api.create.p95_ms, api.events.fanout_cost: then, on the same server, creates by 50
 *     concurrent clients without and with 200 SSE clients (bench/api-create.ts).
 *
 * Each endpoint: 20 warm-up requests, then 200 sequential timed requests (fetch with the bearer
 * token, from sending to the parsed JSON body) on a keep-alive connection. Each answer is checked
 * (page size, totals, the right rows for the deep unfiltered page, stats equal to what was built).
 */
import { join } from 'node:path';
import { atMost, type Metric } from './report';
import { API_JOBS, buildApiStore, type ApiStoreCounts } from './api-store';
import { startHeadlessServer, type ServerProcess } from './api-server';
import { benchCreateFanout } from './api-create';
import { percentile, progress, tempDir } from './support';

export const API_SAMPLES = 200;
export const API_WARMUP = 20;
const LIMIT = 20;
const DEEP_PAGE = 25_000;

interface JobList {
  data: { id: string; status: string; createdAt: string }[];
  pagination: { page: number; limit: number; total: number; totalPages: number };
}

interface Stats {
  pending: number;
  queued: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  paused: number;
}

interface Endpoint {
  readonly metric: string;
  readonly path: string;
  readonly what: string;
  check(body: unknown): void;
}

function listEndpoint(metric: string, what: string, query: { page: number; status?: string }, expect: { total: number; firstCreatedAt?: number }): Endpoint {
  const params = new URLSearchParams({ page: String(query.page), limit: String(LIMIT), ...(query.status ? { status: query.status } : {}) });
  const path = `/api/media/jobs?${params}`;
  return {
    metric,
    path,
    what,
    check(body) {
      const list = body as JobList;
      if (list.pagination.total !== expect.total) throw new Error(`api: GET ${path}: total ${list.pagination.total}, expected ${expect.total}`);
      if (list.data.length !== LIMIT) throw new Error(`api: GET ${path}: ${list.data.length} rows, expected ${LIMIT}`);
      if (query.status && list.data.some((j) => j.status !== query.status)) throw new Error(`api: GET ${path}: a row is not ${query.status}`);
      if (expect.firstCreatedAt !== undefined && Date.parse(list.data[0]!.createdAt) !== expect.firstCreatedAt) {
        throw new Error(`api: GET ${path}: the first row was created at ${list.data[0]!.createdAt}, expected ${new Date(expect.firstCreatedAt).toISOString()} (wrong page)`);
      }
    },
  };
}

function checkStats(body: unknown, built: ApiStoreCounts): void {
  const s = body as Stats;
  const waiting = s.pending + s.queued;
  if (s.completed !== built.completed || s.failed !== built.failed || waiting !== built.pending || s.running !== 0) {
    throw new Error(
      `api: stats ${JSON.stringify({ completed: s.completed, failed: s.failed, pending: s.pending, queued: s.queued, running: s.running })} ` +
        `do not match the store built (${built.completed} completed, ${built.failed} failed, ${built.pending} pending)`,
    );
  }
}

async function measure(server: ServerProcess, endpoint: Endpoint, samples: number, warmup: number): Promise<{ p50: number; p95: number; max: number }> {
  for (let i = 0; i < warmup; i++) endpoint.check(await server.get(endpoint.path));
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    const body = await server.get(endpoint.path);
    ms.push(performance.now() - t0);
    endpoint.check(body);
  }
  const r = { p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms) };
  progress(`api: ${endpoint.metric} p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, max ${r.max.toFixed(2)} ms (GET ${endpoint.path})`);
  return r;
}

export async function benchApi(jobs = API_JOBS, samples = API_SAMPLES, warmup = API_WARMUP): Promise<Metric[]> {
  const tmp = tempDir('api');
  try {
    const dataDir = join(tmp.dir, 'data');
    progress(`api: building a store of ${jobs} jobs in ${dataDir} (not timed; about a minute)`);
    const built = await buildApiStore(dataDir, jobs);
    const server = await startHeadlessServer({ dataDir, libraryDir: join(tmp.dir, 'library') });
    let metrics: Metric[];
    try {
      checkStats(await server.get('/api/media/jobs/stats'), built);
      const deepPage = Math.min(DEEP_PAGE, Math.ceil(jobs / LIMIT / 2));
      const statusDeepPage = Math.ceil(built.completed / LIMIT / 2);
      const lists = [
        listEndpoint('api.list.page1.p95_ms', 'page 1', { page: 1 }, { total: jobs, firstCreatedAt: built.newestCreatedAt }),
        listEndpoint('api.list.deep.p95_ms', `page ${deepPage}, offset ${(deepPage - 1) * LIMIT}`, { page: deepPage }, {
          total: jobs,
          firstCreatedAt: built.newestCreatedAt - (deepPage - 1) * LIMIT * 1000,
        }),
        listEndpoint('api.list.status_page1.p95_ms', 'status=completed, page 1', { page: 1, status: 'completed' }, { total: built.completed }),
        listEndpoint('api.list.status_deep.p95_ms', `status=completed, page ${statusDeepPage} of ${Math.ceil(built.completed / LIMIT)}`, { page: statusDeepPage, status: 'completed' }, {
          total: built.completed,
        }),
      ];
      const stats: Endpoint = { metric: 'api.stats.p95_ms', path: '/api/media/jobs/stats', what: 'stats', check: (body) => checkStats(body, built) };

      const listResults = [];
      for (const endpoint of lists) listResults.push({ endpoint, ...(await measure(server, endpoint, samples, warmup)) });
      const statsResult = await measure(server, stats, samples, warmup);
      const memory = server.memory();
      progress(`api: server VmRSS ${memory.rssMb.toFixed(1)} MiB (peak VmHWM ${memory.hwmMb.toFixed(1)} MiB)`);
      const createMetrics = await benchCreateFanout(server);

      const how = `${samples} sequential requests after ${warmup} warm-up, limit ${LIMIT}, ${jobs} jobs (${built.completed} completed, ${built.failed} failed, ${built.pending} pending, queue paused)`;
      const worst = listResults.reduce((a, b) => (b.p95 > a.p95 ? b : a));
      metrics = [
        {
          metric: 'api.list.p95_ms',
          value: worst.p95,
          unit: 'ms',
          target: atMost(20),
          note: `GET /api/media/jobs: the worst p95 of the four api.list.* below (${worst.endpoint.metric}); headless server process, ${how}`,
        },
        ...listResults.map(
          (r): Metric => ({
            metric: r.endpoint.metric,
            value: r.p95,
            unit: 'ms',
            target: atMost(20),
            note: `GET ${r.endpoint.path} (${r.endpoint.what}); p50 ${r.p50.toFixed(2)} ms, max ${r.max.toFixed(2)} ms`,
          }),
        ),
        {
          metric: 'api.stats.p95_ms',
          value: statsResult.p95,
          unit: 'ms',
          target: atMost(20),
          note: `GET /api/media/jobs/stats; p50 ${statsResult.p50.toFixed(2)} ms, max ${statsResult.max.toFixed(2)} ms; ${how}`,
        },
        {
          metric: 'api.rss_mb',
          value: memory.rssMb,
          unit: 'MiB',
          target: atMost(300),
          note: `VmRSS of the headless server process (${server.command}) after the ${5 * (samples + warmup)} requests above; peak VmHWM ${memory.hwmMb.toFixed(1)} MiB`,
        },
        ...createMetrics,
      ];
    } catch (error) {
      await server.stop().catch((stopError: unknown) => progress(`api: stopping the server after a failure: ${String(stopError)}`));
      throw error;
    }
    await server.stop();
    return metrics;
  } finally {
    tmp.cleanup();
  }
}

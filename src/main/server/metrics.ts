/**
 * Prometheus metrics. The spec's names are kept for compatibility (media_jobs_total{type,status},
 * media_jobs_pending, media_jobs_running{resourceCategory}, media_vram_used_mb); histograms of
 * wait and run time follow Prometheus conventions (base unit seconds, _seconds suffix).
 * Gauges are read from the store's counters at scrape time, so they are exact and cheap.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OperationOutput } from '../../shared/contracts/operations';
import type { Runtime } from '../runtime/create-runtime';
import type { RuntimeEvent } from '../runtime/events';

const DURATION_BUCKETS = [0.05, 0.25, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 14400];

export function createMetrics(runtime: Runtime): { registry: Registry; observe: (event: RuntimeEvent) => void } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'media_process_' });

  const jobsTotal = new Counter({ name: 'media_jobs_total', help: 'Media jobs that reached each status since this server started (created jobs count as pending)', labelNames: ['type', 'status'], registers: [registry] });
  const waitSeconds = new Histogram({ name: 'media_job_wait_seconds', help: 'Time from creation to start of an attempt', labelNames: ['type', 'resourceCategory'], buckets: DURATION_BUCKETS, registers: [registry] });
  const runSeconds = new Histogram({ name: 'media_job_run_seconds', help: 'Run time of attempts that ended, by outcome', labelNames: ['type', 'status'], buckets: DURATION_BUCKETS, registers: [registry] });

  let statsPromise: Promise<OperationOutput<'getStats'>> | null = null;
  const stats = (): Promise<OperationOutput<'getStats'>> => {
    // one stats read per scrape, shared by every gauge
    statsPromise ??= runtime.execute('getStats', {}).finally(() => setImmediate(() => (statsPromise = null)));
    return statsPromise;
  };

  new Gauge({
    name: 'media_jobs_pending', help: 'Jobs waiting to run (pending + queued)', registers: [registry],
    async collect() { const s = await stats(); this.set(s.pending + s.queued); },
  });
  new Gauge({
    name: 'media_jobs_running', help: 'Running jobs by resource category', labelNames: ['resourceCategory'], registers: [registry],
    async collect() { const s = await stats(); for (const [cat, n] of Object.entries(s.runningByCategory)) this.set({ resourceCategory: cat }, n); },
  });
  new Gauge({
    name: 'media_vram_used_mb', help: 'VRAM reserved by running jobs (MB)', registers: [registry],
    async collect() { this.set((await stats()).totalVramUsed); },
  });
  new Gauge({
    name: 'media_vram_budget_mb', help: 'VRAM budget the scheduler hands out (MB); absent without a GPU', registers: [registry],
    async collect() { const b = (await stats()).totalVramAvailable; if (b === null) this.reset(); else this.set(b); },
  });

  // the fleet, per node (one node when embedded): what each runs, its limits and heartbeat age
  let nodesPromise: Promise<OperationOutput<'listNodes'>> | null = null;
  const nodes = (): Promise<OperationOutput<'listNodes'>> => {
    nodesPromise ??= runtime.execute('listNodes', {}).finally(() => setImmediate(() => (nodesPromise = null)));
    return nodesPromise;
  };
  new Gauge({
    name: 'media_node_up', help: 'Fleet nodes: 1 online, 0 offline (missed its lease) or stopped', labelNames: ['node', 'state'], registers: [registry],
    async collect() { this.reset(); for (const n of (await nodes()).nodes) this.set({ node: n.id, state: n.state }, n.state === 'online' ? 1 : 0); },
  });
  new Gauge({
    name: 'media_node_running_jobs', help: 'Jobs running on each node by resource category (at its last heartbeat)', labelNames: ['node', 'resourceCategory'], registers: [registry],
    async collect() {
      this.reset();
      for (const n of (await nodes()).nodes) for (const [cat, count] of Object.entries(n.running)) this.set({ node: n.id, resourceCategory: cat }, count);
    },
  });
  new Gauge({
    name: 'media_node_slot_limit', help: 'Slot limit of each node by resource category', labelNames: ['node', 'resourceCategory'], registers: [registry],
    async collect() {
      this.reset();
      for (const n of (await nodes()).nodes) for (const [cat, limit] of Object.entries(n.limits)) this.set({ node: n.id, resourceCategory: cat }, limit);
    },
  });
  new Gauge({
    name: 'media_node_heartbeat_age_seconds', help: 'Seconds since each node last renewed its heartbeat', labelNames: ['node'], registers: [registry],
    async collect() {
      this.reset();
      const now = Date.now();
      for (const n of (await nodes()).nodes) this.set({ node: n.id }, Math.max(0, (now - Date.parse(n.heartbeatAt)) / 1000));
    },
  });
  new Gauge({
    name: 'media_node_completed_jobs', help: 'Jobs each node completed since its process started', labelNames: ['node'], registers: [registry],
    async collect() { this.reset(); for (const n of (await nodes()).nodes) this.set({ node: n.id }, n.completedSinceStart); },
  });

  const observe = (event: RuntimeEvent) => {
    if (event.type !== 'job.created' && event.type !== 'job.updated') return;
    const job = event.job;
    jobsTotal.inc({ type: job.type, status: job.status });
    if (job.status === 'running' && job.startedAt) {
      waitSeconds.observe({ type: job.type, resourceCategory: job.resourceCategory }, (Date.parse(job.startedAt) - Date.parse(job.createdAt)) / 1000);
    }
    const ended = job.status === 'completed' || job.status === 'failed' || (job.status === 'queued' && job.retryAfter !== null);
    if (ended && job.startedAt) {
      const end = job.completedAt ? Date.parse(job.completedAt) : Date.now();
      runSeconds.observe({ type: job.type, status: job.status === 'queued' ? 'retrying' : job.status }, Math.max(0, end - Date.parse(job.startedAt)) / 1000);
    }
  };
  return { registry, observe };
}

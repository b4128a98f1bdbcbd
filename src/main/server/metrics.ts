/**
 * Prometheus metrics. The spec's names are kept for compatibility (media_jobs_total{type,status},
 * media_jobs_pending, media_jobs_running{resourceCategory}, media_vram_used_mb); histograms of
 * wait and run time follow Prometheus conventions (base unit seconds, _seconds suffix).
 * Gauges are read from the store's counters at scrape time, so they are exact and cheap.
 *
 * Counters and histograms count THIS node's transitions (Runtime.observeTransitions: what its
 * dispatcher started and recorded, what it created, rescued, or a user's action it served), each
 * once: in a fleet, sum them over nodes for the fleet (events relayed from other nodes and
 * waiting-reason rewrites are not counted). Gauges without a `node` label are fleet-wide.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OperationOutput } from '../../shared/contracts/operations';
import type { Runtime } from '../runtime/create-runtime';
import type { JobTransition } from '../runtime/transitions';
import { registerGpuMetrics } from './gpu-metrics';
import { isSegmentChild } from '../../shared/domain/job-types';

const DURATION_BUCKETS = [0.05, 0.25, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 14400];

export function createMetrics(runtime: Runtime): { registry: Registry; close: () => void } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'media_process_' });

  const jobsTotal = new Counter({ name: 'media_jobs_total', help: 'Status transitions this node made since it started, by status reached (created jobs count as pending; a waiting reason explained again is not one); sum over nodes for the fleet', labelNames: ['type', 'status'], registers: [registry] });
  const waitSeconds = new Histogram({ name: 'media_job_wait_seconds', help: 'Per attempt: time from the job becoming ready for this attempt (created, resumed, retry time, interrupted) to its start on this node', labelNames: ['type', 'resourceCategory'], buckets: DURATION_BUCKETS, registers: [registry] });
  const runSeconds = new Histogram({ name: 'media_job_run_seconds', help: 'Per attempt: its own start to end, observed once when this node records its outcome (retrying: failed, will retry; interrupted: re-queued)', labelNames: ['type', 'status'], buckets: DURATION_BUCKETS, registers: [registry] });

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
    name: 'media_jobs_suspended', help: 'Running jobs a pause suspended: their process stopped, their slot and VRAM still held (fleet-wide)', registers: [registry],
    async collect() { this.set((await stats()).suspended); },
  });
  new Gauge({
    name: 'media_vram_used_mb', help: 'VRAM reserved by running and suspended jobs on all nodes (MB; fleet-wide, per node: media_node_vram_reserved_mb)', registers: [registry],
    async collect() { this.set((await stats()).totalVramUsed); },
  });
  new Gauge({
    name: 'media_vram_budget_mb', help: 'Sum of the VRAM budgets of the online nodes (MB; fleet-wide, per node: media_node_vram_budget_mb); absent when no node has one', registers: [registry],
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

  new Gauge({
    name: 'media_node_vram_budget_mb', help: 'VRAM budget of each node that has one (MB, at its last heartbeat)', labelNames: ['node'], registers: [registry],
    async collect() { this.reset(); for (const n of (await nodes()).nodes) if (n.vramBudgetMb !== null) this.set({ node: n.id }, n.vramBudgetMb); },
  });
  new Gauge({
    name: 'media_node_vram_reserved_mb', help: 'VRAM reserved by the jobs running on each node (MB, at its last heartbeat)', labelNames: ['node'], registers: [registry],
    async collect() { this.reset(); for (const n of (await nodes()).nodes) this.set({ node: n.id }, n.vramReservedMb); },
  });

  registerGpuMetrics(registry, nodes);

  // library transcoding, computed at scrape time from the savings ledger (fleet-wide, rebuildable;
  // counters because replacements only add: restores are counted as an outcome, not subtracted)
  let savingsPromise: Promise<OperationOutput<'getSavings'>> | null = null;
  const savings = (): Promise<OperationOutput<'getSavings'>> => {
    savingsPromise ??= runtime.execute('getSavings', { groupBy: 'node' }).finally(() => setImmediate(() => (savingsPromise = null)));
    return savingsPromise;
  };
  new Counter({
    name: 'media_bytes_saved_total', help: 'Bytes saved by transcodes that replaced their original (from the savings ledger, fleet-wide; restores are counted in media_transcode_outcomes_total{outcome="restored"})', registers: [registry],
    async collect() { const s = await savings(); this.reset(); this.inc(Math.max(0, s.total.grossBytesSaved)); },
  });
  new Counter({
    name: 'media_transcode_outcomes_total', help: 'Transcode and re-encode endings by outcome (replaced, copied, kept_original, skipped, failed, restored), from the savings ledger (fleet-wide)', labelNames: ['outcome'], registers: [registry],
    async collect() { const s = await savings(); this.reset(); for (const [outcome, n] of Object.entries(s.total.outcomes)) this.inc({ outcome }, n); },
  });

  const runStatus = (to: JobTransition['to']): string => (to === 'queued' ? 'retrying' : to === 'pending' ? 'interrupted' : to);
  // a segmented encode counts once, as its parent: its parts have their own counter (#20)
  const partsTotal = new Counter({ name: 'media_segment_parts_total', help: 'Status transitions of the chunk and audio jobs of segmented encodes on this node, by part type and status reached (not in media_jobs_total: their parent is the one job)', labelNames: ['type', 'status'], registers: [registry] });
  const record = (transitions: readonly JobTransition[]) => {
    for (const { job, to, waitMs, runMs } of transitions) {
      if (isSegmentChild(job.type)) {
        partsTotal.inc({ type: job.type, status: to });
        continue;
      }
      jobsTotal.inc({ type: job.type, status: to });
      if (waitMs !== undefined) waitSeconds.observe({ type: job.type, resourceCategory: job.resourceCategory }, waitMs / 1000);
      if (runMs !== undefined) runSeconds.observe({ type: job.type, status: runStatus(to) }, runMs / 1000);
    }
  };
  return { registry, close: runtime.observeTransitions(record) };
}

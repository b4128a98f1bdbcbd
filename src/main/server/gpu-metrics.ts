/**
 * Per-GPU gauges (#18), from each node's GPUs at its last heartbeat (one node when embedded):
 * what our jobs reserve on each GPU, how many run there, and the NVENC sessions open on it.
 * Labels: node, gpu (nvidia-smi's index), uuid. Nodes without a per-GPU inventory add no series.
 */
import { Gauge, type Registry } from 'prom-client';
import type { OperationOutput } from '../../shared/contracts/operations';

type Nodes = () => Promise<OperationOutput<'listNodes'>>;

export function registerGpuMetrics(registry: Registry, nodes: Nodes): void {
  const perGpu = (name: string, help: string, value: (g: OperationOutput<'listNodes'>['nodes'][number]['gpus'][number]) => number | null | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['node', 'gpu', 'uuid'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const n of (await nodes()).nodes) {
          for (const g of n.gpus) {
            const v = value(g);
            if (v !== null && v !== undefined) this.set({ node: n.id, gpu: String(g.index), uuid: g.uuid ?? '' }, v);
          }
        }
      },
    });
  perGpu('media_gpu_vram_reserved_bytes', 'VRAM reserved by the jobs placed on each GPU (bytes, at its node\'s last heartbeat)', (g) => (g.vramReservedMb === undefined ? null : g.vramReservedMb * 1024 * 1024));
  perGpu('media_gpu_jobs_running', 'Jobs running (or suspended) on each GPU', (g) => g.jobsRunning);
  perGpu('media_gpu_encoder_sessions', 'NVENC sessions open on each GPU (every program\'s, from nvidia-smi)', (g) => g.encoderSessions);
  perGpu('media_gpu_vram_budget_bytes', 'VRAM our jobs may reserve on each GPU: total − headroom − other programs\' use (bytes)', (g) => (g.vramBudgetMb === undefined ? null : g.vramBudgetMb * 1024 * 1024));
  perGpu('media_gpu_accepting_jobs', 'Whether each GPU takes new jobs (0: its free VRAM dropped under its reservations)', (g) => (g.blocked === undefined ? null : g.blocked ? 0 : 1));
}

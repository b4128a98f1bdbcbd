/**
 * queue.schedule.decision_ms.gpus8: one store.claimJobs(...) call (SQLite, the real scheduler) on a
 * node with 8 GPUs (12 GB each, NVENC cap 8) placing every GPU job on one GPU, while 100,000 jobs
 * wait (half gpu_encode, half gpu_ai, 4,000–8,000 MB, priorities 1–10). Limits: cpu 5, gpu_encode 16,
 * gpu_ai 16. Like queue.schedule.decision_ms, the started jobs are completed between claims (not
 * timed) so every claim places jobs again; the metric is the median of the timed claims.
 */
import type { GpuSlot } from '../src/main/core/gpu-placement';
import type { NewJob } from '../src/main/core/ports';
import { capacityOf, claimRequest } from '../src/main/storage/conformance/fixtures';
import { SqliteJobStore } from '../src/main/storage/sqlite/sqlite-job-store';
import { atMost, type Metric } from './report';
import { benchJob, insertInChunks, median, percentile, progress, tempDir } from './support';

const GPUS: GpuSlot[] = Array.from({ length: 8 }, (_, index) => ({
  index,
  uuid: `GPU-bench-${index}`,
  name: 'NVIDIA GeForce RTX 4070',
  budgetMb: 12_000,
  encodeSupported: true,
  sessionCap: 8,
  otherSessions: 0,
}));

function gpuJob(i: number, now: number, total: number): NewJob {
  const encode = i % 2 === 0;
  return benchJob(encode ? 'reencode_streaming' : 'scene_extract', { priority: 1 + (i % 10), createdAt: now - (total - i), vramRequired: encode ? 4_000 : 8_000 });
}

export async function benchScheduleDecisionGpus(waitingJobs = 100_000, samples = 200): Promise<Metric[]> {
  const tmp = tempDir('schedule-gpus');
  try {
    const store = new SqliteJobStore({ file: tmp.dbFile });
    try {
      progress(`schedule (8 GPUs): inserting ${waitingJobs} waiting GPU jobs (not timed)`);
      const now0 = Date.now();
      await insertInChunks(store, Array.from({ length: waitingJobs }, (_, i) => gpuJob(i, now0, waitingJobs)));
      const capacity = capacityOf({ limits: { cpu: 5, gpu_encode: 16, gpu_ai: 16 }, gpus: GPUS, vramBudgetMb: GPUS.length * 12_000 });
      const times: number[] = [];
      const onGpus = new Set<number>();
      for (let i = 0; i < samples; i++) {
        const t0 = performance.now();
        const { started } = await store.claimJobs(claimRequest('bench-node', Date.now(), capacity));
        times.push(performance.now() - t0);
        if (started.length === 0) throw new Error('schedule (8 GPUs): a claim with free GPUs started nothing');
        for (const j of started) onGpus.add(j.gpuIndex ?? -1);
        const at = Date.now();
        await store.recordReports({ logs: [], progress: new Map(), outcomes: started.map((j) => ({ kind: 'completed' as const, jobId: j.id, attempt: j.attempt, at, logLine: 'done' })) });
      }
      if (onGpus.size !== GPUS.length) throw new Error(`schedule (8 GPUs): jobs landed on ${onGpus.size} GPUs, expected all ${GPUS.length}`);
      progress(`schedule (8 GPUs): median ${median(times).toFixed(3)} ms, p99 ${percentile(times, 99).toFixed(3)} ms`);
      return [
        {
          metric: 'queue.schedule.decision_ms.gpus8',
          value: median(times),
          unit: 'ms',
          target: atMost(5),
          note: `median of ${samples} store.claimJobs calls placing GPU jobs on 8 GPUs with ${waitingJobs} jobs waiting (p99 ${percentile(times, 99).toFixed(3)} ms)`,
        },
      ];
    } finally {
      await store.close();
    }
  } finally {
    tmp.cleanup();
  }
}

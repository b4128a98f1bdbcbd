/**
 * queue.schedule.decision_ms: the time of one store.claimJobs(...) call with the real scheduler
 * and the default limits (cpu 5, gpu_encode 2, gpu_ai 1; 16 GB VRAM budget) while 100,000 jobs
 * wait (80% cpu, 10% gpu_encode, 10% gpu_ai; priorities 1–10). Two kinds of claim:
 *   - starting: free slots, the claim starts jobs (and records why the rest wait); the started
 *     jobs are then completed (not timed) so that the next claim starts jobs again;
 *   - waiting: every slot busy, the claim only records waiting reasons.
 * Each kind is sampled 200 times; the main metric is the median over both kinds together, and
 * queue.schedule.decision_ms.starting.p99 the nearest-rank p99 of the claims that start jobs (the
 * ones that write: the started jobs and the waiting reasons of the rest), every sample counted.
 */
import { DEFAULT_CATEGORY_LIMITS } from '../src/main/core/capacity';
import type { ClaimRequest, NewJob } from '../src/main/core/ports';
import { capacityOf, claimRequest } from '../src/main/storage/conformance/job-store-conformance';
import { SqliteJobStore } from '../src/main/storage/sqlite/sqlite-job-store';
import type { JobType } from '../src/shared/domain/job-types';
import { atMost, type Metric } from './report';
import { benchJob, insertInChunks, median, percentile, progress, tempDir } from './support';

export const WAITING_JOBS = 100_000;
export const DECISION_SAMPLES = 200;
const NODE = 'bench-node';

function mixedJob(i: number, now: number): NewJob {
  const r = i % 10;
  const type: JobType = r === 8 ? 'reencode_streaming' : r === 9 ? 'scene_extract' : 'validate';
  return benchJob(type, { priority: 1 + (i % 10), createdAt: now - (WAITING_JOBS - i) });
}

export async function benchScheduleDecision(waitingJobs = WAITING_JOBS, samples = DECISION_SAMPLES): Promise<Metric[]> {
  const tmp = tempDir('schedule');
  try {
    const store = new SqliteJobStore({ file: tmp.dbFile });
    try {
      progress(`schedule: inserting ${waitingJobs} waiting jobs (not timed)`);
      const now0 = Date.now();
      await insertInChunks(store, Array.from({ length: waitingJobs }, (_, i) => mixedJob(i, now0)));
      const capacity = capacityOf();
      let decideMs = 0;
      const request = (): ClaimRequest => {
        const base = claimRequest(NODE, Date.now(), capacity);
        return {
          ...base,
          decide: (usage, candidates) => {
            const t0 = performance.now();
            try {
              return base.decide(usage, candidates);
            } finally {
              decideMs += performance.now() - t0;
            }
          },
        };
      };
      const timedClaim = async () => {
        const req = request();
        const t0 = performance.now();
        const { started } = await store.claimJobs(req);
        return { ms: performance.now() - t0, started };
      };

      progress(`schedule: ${samples} claims that start jobs`);
      const starting: number[] = [];
      for (let i = 0; i < samples; i++) {
        const { ms, started } = await timedClaim();
        if (started.length === 0) throw new Error('schedule: a claim with free slots started nothing');
        starting.push(ms);
        const at = Date.now();
        await store.recordReports({
          logs: [],
          progress: new Map(),
          outcomes: started.map((j) => ({ kind: 'completed' as const, jobId: j.id, attempt: j.attempt, at, logLine: 'done' })),
        });
      }
      const decideStarting = decideMs;

      const fill = await store.claimJobs(request());
      const slots = DEFAULT_CATEGORY_LIMITS.cpu + DEFAULT_CATEGORY_LIMITS.gpu_encode + DEFAULT_CATEGORY_LIMITS.gpu_ai;
      if (fill.started.length !== slots) throw new Error(`schedule: filling the slots started ${fill.started.length}, expected ${slots}`);
      decideMs = 0;
      progress(`schedule: ${samples} claims with every slot busy (waiting reasons only)`);
      const waiting: number[] = [];
      for (let i = 0; i < samples; i++) {
        const { ms, started } = await timedClaim();
        if (started.length !== 0) throw new Error('schedule: a claim with every slot busy started a job');
        waiting.push(ms);
      }
      const all = [...starting, ...waiting];
      progress(
        `schedule: starting median ${median(starting).toFixed(3)} ms (p90 ${percentile(starting, 90).toFixed(3)}, p99 ${percentile(starting, 99).toFixed(3)}, max ${Math.max(...starting).toFixed(3)}; scheduler ${(decideStarting / samples).toFixed(3)} ms/call), ` +
          `waiting median ${median(waiting).toFixed(3)} ms (p90 ${percentile(waiting, 90).toFixed(3)}; scheduler ${(decideMs / samples).toFixed(3)} ms/call)`,
      );
      return [
        {
          metric: 'queue.schedule.decision_ms',
          value: median(all),
          unit: 'ms',
          target: atMost(5),
          note: `median of ${all.length} store.claimJobs calls (${samples} starting jobs, ${samples} with all slots busy) with ${waitingJobs} jobs waiting, default limits, WAL + synchronous=FULL`,
        },
        { metric: 'queue.schedule.decision_ms.starting', value: median(starting), unit: 'ms', note: `median of the ${samples} claims that start jobs` },
        {
          metric: 'queue.schedule.decision_ms.starting.p99',
          value: percentile(starting, 99),
          unit: 'ms',
          target: atMost(5),
          note:
            `nearest-rank p99 of the ${samples} claims that start jobs (first claim included, no warm-up); ` +
            `p50 ${median(starting).toFixed(3)} ms, p90 ${percentile(starting, 90).toFixed(3)} ms, max ${Math.max(...starting).toFixed(3)} ms; ${waitingJobs} jobs waiting, default limits`,
        },
        { metric: 'queue.schedule.decision_ms.waiting', value: median(waiting), unit: 'ms', note: `median of the ${samples} claims with every slot busy; p99 ${percentile(waiting, 99).toFixed(3)} ms` },
      ];
    } finally {
      await store.close();
    }
  } finally {
    tmp.cleanup();
  }
}

/**
 * The queue-invariant property, shared by every JobStore adapter: random sequences of create /
 * claim / complete / fail / cancel / pause / resume / retry / crash-and-restart of a node, driven
 * through the store with the real scheduler, never exceed a node's limits or VRAM budget, never
 * lose a job, never run one job twice at once or again after it completed, and a node's crash
 * rescues only jobs that node held, and the counts by status always equal the jobs' statuses.
 * Outcomes go on their own or with the holder's next claim (stores may count them differently).
 * SQLite runs it with one node, PostgreSQL with two.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { ResourceCategory } from '../../../shared/domain/statuses';
import { isLiveStatus, JOB_STATUSES, RESOURCE_CATEGORIES } from '../../../shared/domain/statuses';
import type { LifecycleAction } from '../../core/lifecycle';
import type { AttemptOutcome, JobRecord, JobStore } from '../../core/ports';
import { decideAfterCrash, decideAfterFailure } from '../../core/retry-policy';
import { capacityOf, claimRequest, newJob } from '../conformance/job-store-conformance';

export interface QueueHarness {
  /** The node ids; one store is opened per node. */
  readonly nodes: readonly string[];
  /** Opens a store on the shared database (after a crash, the node's old store is closed first). */
  open(): Promise<JobStore>;
}

const TYPE_OF: Record<ResourceCategory, 'validate' | 'reencode_streaming' | 'scene_extract'> = { cpu: 'validate', gpu_encode: 'reencode_streaming', gpu_ai: 'scene_extract' };
const LIMITS = { cpu: 2, gpu_encode: 2, gpu_ai: 1 };
const BUDGET = 10000;

export type Command =
  | { kind: 'create'; category: ResourceCategory; priority: number; vram: number; count: number }
  | { kind: 'claim'; node: number }
  /** viaClaim: the outcome goes with the holder's next claim (a dispatcher tick) instead of on its own */
  | { kind: 'complete' | 'fail' | 'failFatal'; pick: number; viaClaim: boolean }
  | { kind: 'manual'; action: Extract<LifecycleAction, 'cancel' | 'pause' | 'resume' | 'retry'>; pick: number }
  | { kind: 'crash'; node: number }
  | { kind: 'tick'; ms: number };

/** Random command sequences for `nodeCount` nodes sharing one store. */
export function commandSequences(nodeCount: number, maxLength: number): fc.Arbitrary<Command[]> {
  const node = fc.integer({ min: 0, max: nodeCount - 1 });
  const command: fc.Arbitrary<Command> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), category: fc.constantFrom(...RESOURCE_CATEGORIES), priority: fc.integer({ min: 1, max: 10 }), vram: fc.constantFrom(0, 2000, 4000, 8000), count: fc.integer({ min: 1, max: 4 }) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('claim' as const), node }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('complete' as const, 'fail' as const, 'failFatal' as const), pick: fc.nat(), viaClaim: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('manual' as const), action: fc.constantFrom('cancel' as const, 'pause' as const, 'resume' as const, 'retry' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), node }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 300_000 }) }) },
  );
  return fc.array(command, { minLength: 1, maxLength });
}

export async function checkQueueInvariants(commands: readonly Command[], harness: QueueHarness): Promise<void> {
  const { nodes, open } = harness;
  const stores: JobStore[] = [];
  for (let i = 0; i < nodes.length; i++) stores.push(await open());
  const created: string[] = [];
  const active = new Map<string, { attempt: number; node: number }>(); // job id → attempt held by a node's "runner"
  const completed = new Set<string>();
  let now = 10_000;
  const capacity = capacityOf({ limits: LIMITS, vramBudgetMb: BUDGET });
  const took = (started: readonly JobRecord[], node: number) => {
    for (const job of started) {
      expect(active.has(job.id), `job ${job.id} started while its previous attempt still runs`).toBe(false);
      expect(completed.has(job.id), `job ${job.id} started again after it completed`).toBe(false);
      active.set(job.id, { attempt: job.attempt, node });
    }
  };
  try {
    for (const cmd of commands) {
      now += 7;
      switch (cmd.kind) {
        case 'create': {
          const category = cmd.category;
          const jobs = await stores[0]!.insertJobs(
            Array.from({ length: cmd.count }, () => newJob({ type: TYPE_OF[category], resourceCategory: category, priority: cmd.priority, vramRequired: category === 'cpu' ? 0 : cmd.vram, createdAt: now, maxRetries: 2 })),
          );
          created.push(...jobs.map((j) => j.id));
          break;
        }
        case 'claim': {
          const { started } = await stores[cmd.node]!.claimJobs(claimRequest(nodes[cmd.node]!, now, capacity));
          took(started, cmd.node);
          break;
        }
        case 'complete':
        case 'fail':
        case 'failFatal': {
          const ids = [...active.keys()];
          if (ids.length === 0) break;
          const id = ids[cmd.pick % ids.length]!;
          const { attempt, node: holder } = active.get(id)!;
          active.delete(id);
          const job = (await stores[holder]!.getJob(id))!;
          // a runner asked to cancel reports `cancelled` once its tool has stopped (a fatal failure
          // meanwhile is reported as it is, and the store ends the job cancelled all the same)
          const outcome: AttemptOutcome =
            cmd.kind === 'complete'
              ? { kind: 'completed' as const, jobId: id, attempt, at: now, logLine: 'done' }
              : cmd.kind === 'fail' && job.cancelRequestedAt !== null
              ? { kind: 'cancelled' as const, jobId: id, attempt, at: now, logLine: 'Cancelled' }
              : {
                  kind: 'failed' as const,
                  jobId: id,
                  attempt,
                  at: now,
                  error: 'boom',
                  logLine: 'ERROR',
                  decision: decideAfterFailure({ retryCount: job.retryCount, maxRetries: job.maxRetries, retryable: cmd.kind === 'fail', now }, { baseDelayMs: 1000, maxDelayMs: 8000 }),
                };
          const reports = { logs: [], progress: new Map(), outcomes: [outcome] };
          let changed;
          if (cmd.viaClaim) {
            const result = await stores[holder]!.claimJobs({ ...claimRequest(nodes[holder]!, now, capacity), reports });
            changed = result.reported;
            took(result.started, holder);
          } else {
            changed = await stores[holder]!.recordReports(reports);
          }
          expect(changed.map((j) => j.id)).toEqual([id]);
          if (cmd.kind === 'complete') completed.add(id);
          break;
        }
        case 'manual': {
          if (created.length === 0) break;
          const id = created[cmd.pick % created.length]!;
          // a live job is only marked cancelling: its runner goes on until it reports an outcome
          const { applied, job } =
            cmd.action === 'cancel'
              ? await stores[0]!.cancelJob({ jobId: id, at: now, logLine: 'Cancelled', requestedLogLine: 'Cancel requested' })
              : await stores[0]!.transitionJob({ jobId: id, action: cmd.action, at: now });
          if (applied && cmd.action === 'cancel') expect(job.status === 'cancelled' || job.cancelRequestedAt !== null).toBe(true);
          if (applied && active.has(id)) expect(isLiveStatus(job.status)).toBe(true);
          break;
        }
        case 'crash': {
          // the node's process dies: its attempts vanish without reporting; it restarts on the same database and rescues its own jobs
          await stores[cmd.node]!.close();
          for (const [id, held] of active) if (held.node === cmd.node) active.delete(id);
          stores[cmd.node] = await open();
          const rescued = await stores[cmd.node]!.rescueJobs(nodes[cmd.node]!, now, (j) => decideAfterCrash(j.retryCount, j.maxRetries));
          for (const job of rescued) expect(active.has(job.id), `rescue of ${nodes[cmd.node]} took a job of another node`).toBe(false);
          break;
        }
        case 'tick':
          now += cmd.ms;
          break;
      }

      // invariants after every step
      const running = (await stores.at(-1)!.listJobs({ status: 'running' }, 0, 1000)).rows;
      for (const [index, nodeId] of nodes.entries()) {
        const mine = running.filter((j) => j.nodeId === nodeId);
        for (const cat of RESOURCE_CATEGORIES) expect(mine.filter((j) => j.resourceCategory === cat).length).toBeLessThanOrEqual(LIMITS[cat]);
        expect(mine.reduce((sum, j) => sum + j.vramReserved, 0)).toBeLessThanOrEqual(BUDGET);
        expect(new Set(mine.map((j) => j.id))).toEqual(new Set([...active].filter(([, held]) => held.node === index).map(([id]) => id)));
      }
      const all = await stores[0]!.listJobs({}, 0, 10_000);
      expect(all.total).toBe(created.length);
      expect(new Set(all.rows.map((j) => j.id))).toEqual(new Set(created));
      for (const job of all.rows) if (completed.has(job.id)) expect(job.status).toBe('completed');
      const counts = await stores.at(-1)!.countJobs();
      const byStatus = Object.fromEntries(JOB_STATUSES.map((status) => [status, all.rows.filter((j) => j.status === status).length]));
      expect(counts.byStatus).toEqual(byStatus);
      expect(counts.byStatus.running).toBe(running.length);
    }
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}


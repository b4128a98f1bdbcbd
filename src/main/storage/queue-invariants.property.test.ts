/**
 * Property test: random sequences of create / claim / complete / fail / cancel / pause / resume /
 * retry / crash-and-restart, driven through the real SQLite store with the real scheduler, never
 * exceed a limit or the VRAM budget, never lose a job, and never run one job twice at once or
 * again after it completed.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResourceCategory } from '../../shared/domain/statuses';
import { RESOURCE_CATEGORIES } from '../../shared/domain/statuses';
import { TRANSITIONS, type LifecycleAction } from '../core/lifecycle';
import type { JobStore } from '../core/ports';
import { decideAfterCrash, decideAfterFailure } from '../core/retry-policy';
import { capacityOf, claimRequest, newJob } from './conformance/job-store-conformance';
import { SqliteJobStore } from './sqlite/sqlite-job-store';

const dir = mkdtempSync(join(tmpdir(), 'mjc-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TYPE_OF: Record<ResourceCategory, 'validate' | 'reencode_streaming' | 'scene_extract'> = { cpu: 'validate', gpu_encode: 'reencode_streaming', gpu_ai: 'scene_extract' };
const LIMITS = { cpu: 2, gpu_encode: 2, gpu_ai: 1 };
const BUDGET = 10000;

type Command =
  | { kind: 'create'; category: ResourceCategory; priority: number; vram: number; count: number }
  | { kind: 'claim' }
  | { kind: 'complete' | 'fail' | 'failFatal'; pick: number }
  | { kind: 'manual'; action: Extract<LifecycleAction, 'cancel' | 'pause' | 'resume' | 'retry'>; pick: number }
  | { kind: 'crash' }
  | { kind: 'tick'; ms: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), category: fc.constantFrom(...RESOURCE_CATEGORIES), priority: fc.integer({ min: 1, max: 10 }), vram: fc.constantFrom(0, 2000, 4000, 8000), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'claim' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('complete' as const, 'fail' as const, 'failFatal' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('manual' as const), action: fc.constantFrom('cancel' as const, 'pause' as const, 'resume' as const, 'retry' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 300_000 }) }) },
);

let run = 0;

async function check(commands: Command[]): Promise<void> {
  const file = join(dir, `prop-${++run}.db`);
  let store: JobStore = new SqliteJobStore({ file });
  const created: string[] = [];
  const active = new Map<string, number>(); // job id → attempt held by our "runner"
  const completed = new Set<string>();
  let now = 10_000;
  const capacity = capacityOf({ limits: LIMITS, vramBudgetMb: BUDGET });
  try {
    for (const cmd of commands) {
      now += 7;
      switch (cmd.kind) {
        case 'create': {
          const category = cmd.category;
          const jobs = await store.insertJobs(
            Array.from({ length: cmd.count }, () => newJob({ type: TYPE_OF[category], resourceCategory: category, priority: cmd.priority, vramRequired: category === 'cpu' ? 0 : cmd.vram, createdAt: now, maxRetries: 2 })),
          );
          created.push(...jobs.map((j) => j.id));
          break;
        }
        case 'claim': {
          const { started } = await store.claimJobs(claimRequest('node', now, capacity));
          for (const job of started) {
            expect(active.has(job.id), `job ${job.id} started while its previous attempt still runs`).toBe(false);
            expect(completed.has(job.id), `job ${job.id} started again after it completed`).toBe(false);
            active.set(job.id, job.attempt);
          }
          break;
        }
        case 'complete':
        case 'fail':
        case 'failFatal': {
          const ids = [...active.keys()];
          if (ids.length === 0) break;
          const id = ids[cmd.pick % ids.length]!;
          const attempt = active.get(id)!;
          active.delete(id);
          const job = (await store.getJob(id))!;
          const outcome =
            cmd.kind === 'complete'
              ? { kind: 'completed' as const, jobId: id, attempt, at: now, logLine: 'done' }
              : {
                  kind: 'failed' as const,
                  jobId: id,
                  attempt,
                  at: now,
                  error: 'boom',
                  logLine: 'ERROR',
                  decision: decideAfterFailure({ retryCount: job.retryCount, maxRetries: job.maxRetries, retryable: cmd.kind === 'fail', now }, { baseDelayMs: 1000, maxDelayMs: 8000 }),
                };
          const changed = await store.recordReports({ logs: [], progress: new Map(), outcomes: [outcome] });
          expect(changed.map((j) => j.id)).toEqual([id]);
          if (cmd.kind === 'complete') completed.add(id);
          break;
        }
        case 'manual': {
          if (created.length === 0) break;
          const id = created[cmd.pick % created.length]!;
          const rule = TRANSITIONS[cmd.action];
          const { applied } = await store.transitionJob({ jobId: id, from: rule.from, to: rule.to!, at: now, countRetry: cmd.action === 'retry' });
          if (applied && cmd.action === 'cancel') active.delete(id); // the runner stops the process
          break;
        }
        case 'crash': {
          // the process dies: attempts vanish without reporting; a new process opens the same file and rescues
          await store.close();
          active.clear();
          store = new SqliteJobStore({ file });
          await store.rescueJobs('node', now, (j) => decideAfterCrash(j.retryCount, j.maxRetries));
          break;
        }
        case 'tick':
          now += cmd.ms;
          break;
      }

      // invariants after every step
      const running = (await store.listJobs({ status: 'running' }, 0, 1000)).rows;
      for (const cat of RESOURCE_CATEGORIES) {
        expect(running.filter((j) => j.resourceCategory === cat).length).toBeLessThanOrEqual(LIMITS[cat]);
      }
      expect(running.reduce((sum, j) => sum + j.vramReserved, 0)).toBeLessThanOrEqual(BUDGET);
      expect(new Set(running.map((j) => j.id))).toEqual(new Set(active.keys()));
      const all = await store.listJobs({}, 0, 10_000);
      expect(all.total).toBe(created.length);
      expect(new Set(all.rows.map((j) => j.id))).toEqual(new Set(created));
      for (const id of completed) expect((await store.getJob(id))?.status).toBe('completed');
      const counts = await store.countJobs();
      expect(Object.values(counts.byStatus).reduce((a, b) => a + b, 0)).toBe(created.length);
    }
  } finally {
    await store.close();
  }
}

describe('queue invariants under random operation sequences', () => {
  it('never exceeds a limit, never loses a job, never runs a job twice', async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 80 }), check), { numRuns: 60 });
  });
});

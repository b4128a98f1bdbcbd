/**
 * The job read handlers of the operations table: lists, one job with its log and console, stats and
 * throughput. Split from operations.ts, which composes them.
 */
import { WAITING_STATUSES } from '../../shared/domain/statuses';
import type { Job } from '../../shared/contracts/job';
import { isSegmentChild } from '../../shared/domain/job-types';
import { AppError } from '../../shared/contracts/errors';
import type { JobRecord, JobStore } from '../core/ports';
import { renderLog, toJobView } from './job-view';
import { withFiles } from './job-files';
import { oneJobStatusCounts } from './segments/one-job-stats';
import type { OperationDeps, OperationHandlers } from './operations';

type ReadOperation = 'listJobs' | 'getThroughput' | 'getStats' | 'getJob' | 'getJobChildren' | 'getJobLog' | 'getJobConsole' | 'getSession';

/** A job's whole stored log as one text (as far as maxLogLines allows). */
export async function fullLog(deps: Pick<OperationDeps, 'store' | 'maxLogLines'>, job: JobRecord): Promise<string> {
  const { lines, dropped } = await deps.store.readLog(job.id, 0, deps.maxLogLines);
  return renderLog(lines, dropped);
}

export function jobReadHandlers(deps: OperationDeps): Pick<OperationHandlers, ReadOperation> {
  const { store, dispatcher, clock } = deps;

  const decorate = <V extends Job>(views: V[]): Promise<V[]> => (deps.segments ? deps.segments.decorate(views) : Promise.resolve(views));

  return {
    async listJobs({ page, limit, status, type, resourceCategory, search, createdFrom, createdTo, includeChildren }) {
      const dates = { ...(createdFrom ? { createdFrom: Date.parse(createdFrom) } : {}), ...(createdTo ? { createdTo: Date.parse(createdTo) } : {}) };
      // a segmented encode is one job: its parts are listed only when asked for (or by their type)
      const hideSegmentChildren = !includeChildren && !(type && isSegmentChild(type));
      const { rows, total } = await store.listJobs({ status, type, resourceCategory, ...(search ? { search } : {}), ...dates, ...(hideSegmentChildren ? { hideSegmentChildren } : {}) }, (page - 1) * limit, limit);
      // the page's queue positions in one read, not one per row (and none when nothing on it waits)
      const waiting = rows.filter((r) => WAITING_STATUSES.includes(r.status)).map((r) => r.id);
      const positions = waiting.length > 0 ? await store.queuePositions(waiting) : null;
      return {
        data: await decorate(await withFiles(deps.videos, rows.map((r) => toJobView(r, positions?.get(r.id) ?? null)))),
        pagination: { page, limit, total, totalPages: Math.ceil(total / limit) },
      };
    },

    async getThroughput({ hours }) {
      // whole hours: the current one and `hours - 1` before it
      const HOUR = 3_600_000;
      const first = Math.floor(clock.now() / HOUR) * HOUR - (hours - 1) * HOUR;
      const ended = new Map((await store.countEndedPerHour(first)).map((h) => [h.hourStart, h]));
      return {
        hours: Array.from({ length: hours }, (_, i) => {
          const at = first + i * HOUR;
          const h = ended.get(at);
          return { hourStart: new Date(at).toISOString(), completed: h?.completed ?? 0, failed: h?.failed ?? 0 };
        }),
      };
    },

    async getStats() {
      const [counts, fleet] = await Promise.all([store.countJobs(), deps.listNodes()]);
      // both VRAM figures fleet-wide (the counts are the shared store's): available = the online nodes' budgets
      const budgets = fleet.nodes.filter((n) => n.state === 'online' && n.vramBudgetMb !== null).map((n) => n.vramBudgetMb!);
      return {
        ...oneJobStatusCounts(counts),
        totalVramUsed: counts.vramReservedMb,
        totalVramAvailable: budgets.length > 0 ? Math.round(budgets.reduce((a, b) => a + b, 0)) : null,
        scope: 'fleet' as const,
        nodes: fleet.nodes.map((n) => ({ id: n.id, state: n.state, vramBudgetMb: n.vramBudgetMb === null ? null : Math.round(n.vramBudgetMb), vramReservedMb: Math.round(n.vramReservedMb), running: { ...n.running } })),
        averageProcessingTime: Math.round(counts.averageProcessingSeconds * 10) / 10,
        jobsByType: { ...counts.byType },
        runningByCategory: { ...counts.runningByCategory },
      };
    },

    async getJob({ id }) {
      const job = await requireJob(store, id);
      const [view] = await decorate(await withFiles(deps.videos, [toJobView(job, await store.queuePosition(id))]));
      return { ...view!, log: await fullLog(deps, job) };
    },

    async getJobChildren({ id }) {
      await requireJob(store, id);
      const children = (await deps.segments?.children(id)) ?? [];
      return { parentId: id, data: children.map((c) => toJobView(c)) };
    },

    async getJobLog({ id, after, limit }) {
      const { lines, dropped } = await store.readLog(id, after, limit);
      const last = lines.at(-1)?.line ?? after;
      return {
        jobId: id,
        lines: lines.map((l) => ({ line: l.line, at: new Date(l.at).toISOString(), text: l.text })),
        dropped,
        nextAfter: last,
      };
    },

    async getJobConsole({ id }) {
      await requireJob(store, id);
      const attempt = dispatcher.attemptOf(id);
      if (!attempt) return { jobId: id, running: false, lines: [], droppedLines: 0 };
      return { jobId: id, running: true, lines: attempt.console.getLines(), droppedLines: attempt.console.droppedLines, replay: attempt.console.replay() };
    },

    async getSession(_input, caller) {
      return { name: caller.name, role: caller.role };
    },
  };
}

/** The job, or 404 NOT_FOUND. */
export async function requireJob(store: JobStore, id: string): Promise<JobRecord> {
  const job = await store.getJob(id);
  if (!job) throw new AppError('NOT_FOUND', `No job with id ${id}.`, { jobId: id });
  return job;
}

/**
 * The job action handlers of the operations table: create (with its shortcut), retry, cancel,
 * pause/suspend, resume and priority. Split from operations.ts, which composes them.
 */
import type { z } from 'zod';
import type { OPERATIONS, OperationName } from '../../shared/contracts/operations';
import { isSegmentChild } from '../../shared/domain/job-types';
import { AppError } from '../../shared/contracts/errors';
import type { Caller } from '../../shared/contracts/access';
import { canTransition, TRANSITIONS, transitionRefused, type ManualAction } from '../core/lifecycle';
import type { JobRecord } from '../core/ports';
import { buildNewJob } from './create-job';
import { GroupCommit } from './group-commit';
import { vramCeiling, type NodeBudget } from '../core/vram-ceiling';
import { toJobView } from './job-view';
import type { VideoStore } from '../core/library-ports';
import { refusePartAction } from './segments/part-actions';
import { fullLog, requireJob } from './job-read-operations';
import type { OperationDeps, OperationHandlers } from './operations';

type Input<N extends OperationName> = z.infer<(typeof OPERATIONS)[N]['input']>;
type ActionOperation = 'createJob' | 'createReencodeJob' | 'retryJob' | 'cancelJob' | 'pauseJob' | 'resumeJob' | 'setJobPriority';

/** How a log line names who acted: `grafana (operate)`, `desktop (admin)`. */
export function actorOf(caller: Caller): string {
  return `${caller.name} (${caller.role})`;
}

export function jobActionHandlers(deps: OperationDeps): Pick<OperationHandlers, ActionOperation> {
  const { store, dispatcher, clock } = deps;

  async function transition(id: string, action: ManualAction, extra: { logLine?: string } = {}): Promise<JobRecord> {
    const rule = TRANSITIONS[action];
    const { job, applied } = await store.transitionJob({ jobId: id, action, at: clock.now(), ...extra });
    if (!applied) throw transitionRefused(job.status, action, id);
    deps.onJobsChanged([job]);
    deps.onTransitions?.([{ job, from: rule.from.length === 1 ? rule.from[0]! : null, to: job.status }]);
    return job;
  }

  // what each node could give a job, for the create-time VRAM check: read at most once a second
  // (a burst of creates must not cost a node-list read each)
  let budgets: { at: number; nodes: Promise<NodeBudget[]> } | null = null;
  const fleetBudgets = (): Promise<NodeBudget[]> => {
    const now = clock.now();
    if (!budgets || now - budgets.at > 1_000) {
      const nodes = deps.listNodes().then((fleet) => fleet.nodes.map((n) => ({ id: n.id, online: n.state === 'online', limits: n.limits, vramBudgetMb: n.vramBudgetMb })));
      nodes.catch(() => (budgets = null));
      budgets = { at: now, nodes };
    }
    return budgets.nodes;
  };

  // the creates of one event-loop turn share one transaction; events and one dispatch per batch
  const inserts = new GroupCommit(
    (jobs) => store.insertJobs(jobs),
    (jobs) => {
      deps.onJobsChanged(jobs, true);
      deps.onTransitions?.(jobs.map((job) => ({ job, from: null, to: job.status })));
      dispatcher.requestDispatch();
    },
  );

  /** The one create path (createJob and its shortcuts): create rules, referenced videos, insert, events, dispatch. */
  async function insertJob(input: Input<'createJob'>, caller: Caller): Promise<JobRecord> {
    const nodes = await fleetBudgets();
    // the parts of a segmented encode are made by their parent's plan (with its work folder and cut points)
    if (isSegmentChild(input.type)) throw new AppError('VALIDATION_FAILED', `Jobs of type ${input.type} are the parts of a segmented transcode or re-encode; create that job with \`segments\` instead.`, { type: input.type });
    const newJob = buildNewJob(input, deps.catalog, (category) => vramCeiling(nodes, category), clock.now(), caller.name);
    await requireReferencedVideos(deps.videos, newJob.params);
    await deps.transcode?.guardCreate(newJob);
    return inserts.insert(newJob);
  }

  return {
    async createJob(input, caller) {
      const job = await insertJob(input, caller);
      const { id, type, status, progress, createdAt } = toJobView(job);
      return { id, type, status, progress, createdAt };
    },

    /** The spec's shortcut: the same create path as createJob, after a 404 for an unknown video. */
    async createReencodeJob({ videoId, targetBitrate, preset, crf, priority }, caller) {
      if (!(await deps.videos.getVideo(videoId))) throw new AppError('NOT_FOUND', `No video with id ${videoId}.`, { videoId });
      const job = await insertJob({ type: 'reencode_streaming', params: { videoId, targetBitrate, preset, crf }, priority }, caller);
      return toJobView(job, await store.queuePosition(job.id));
    },

    async retryJob({ id }, caller) {
      const before = await requireJob(store, id);
      refusePartAction(before, 'be retried');
      // a segmented encode's parts first: the parent re-queued first could join at once, see the failed part and fail again
      if (canTransition(before.status, 'retry')) await deps.segments?.retry(before, actorOf(caller));
      const job = await transition(id, 'retry', { logLine: `--- RETRY ATTEMPT ${before.retryCount + 1} --- asked by ${actorOf(caller)}` });
      dispatcher.requestDispatch();
      return { id, status: job.status, retryCount: job.retryCount, retryAfter: null, log: await fullLog(deps, job) };
    },

    /**
     * A waiting job is cancelled at once. A live one (running, or suspended) answers with its status
     * unchanged and `cancelling: true`: its tool is asked to stop (SIGINT, SIGKILL after 1 s) by the
     * node that runs it, and the job becomes cancelled, with an event, once the tool has exited and
     * the attempt's partial files are removed. The answer does not wait for that (usually about a
     * second; a bulk cancel of many jobs, or one on another node, must not hold the request).
     */
    async cancelJob({ id }, caller) {
      const actor = actorOf(caller);
      const at = clock.now();
      // a repeated ask (the flag set already) changes nothing and tells nobody again; the request
      // time cannot tell (two asks within one millisecond share it)
      const current = await store.getJob(id);
      refusePartAction(current, 'be cancelled');
      const askedBefore = current?.cancelRequestedAt != null;
      const { job, applied } = await store.cancelJob({
        jobId: id,
        at,
        logLine: `--- JOB CANCELLED BY ${actor} ---`,
        requestedLogLine: `--- CANCEL REQUESTED BY ${actor}: stopping its process; the job is cancelled once it has exited and its partial files are removed ---`,
      });
      if (!applied) throw transitionRefused(job.status, 'cancel', id);
      const cancelling = job.status !== 'cancelled';
      // here at once; on another node the store's wake-up (or its next heartbeat) does it
      if (cancelling) dispatcher.stopAttempt(id, 'cancel');
      if (!cancelling || !askedBefore) deps.onJobsChanged([job]);
      // a live job becomes cancelled when its attempt ends: counted by the node that runs it
      if (!cancelling) deps.onTransitions?.([{ job, from: null, to: job.status }]);
      if (!cancelling) await deps.segments?.cancel(job, actor);
      return { id, status: job.status, cancelling, log: await fullLog(deps, job) };
    },

    async pauseJob({ id }, caller) {
      const current = await requireJob(store, id);
      refusePartAction(current, 'be paused');
      if (!canTransition(current.status, 'suspend')) {
        const job = await transition(id, 'pause', { logLine: `Paused by ${actorOf(caller)}` });
        await deps.segments?.pause(job, actorOf(caller));
        return { id, status: job.status };
      }
      // a running job is suspended: its process is stopped, its slot and VRAM stay reserved
      const attempt = dispatcher.attemptOf(id);
      if (!attempt) throw new AppError('INVALID_TRANSITION', 'This job is running on another node or just finishing; it cannot be suspended from here.', { status: current.status });
      if (!attempt.canSuspend) throw new AppError('INVALID_TRANSITION', 'This job has no external process that can be suspended; cancel it instead.', { status: current.status });
      if (current.cancelRequestedAt !== null) throw beingCancelled(current, 'suspend');
      // suspended only once the process has really been stopped
      if (!attempt.suspend()) {
        attempt.resume();
        throw new AppError('INVALID_TRANSITION', 'Its process has just ended; the job is finishing and cannot be suspended.', { status: current.status });
      }
      const { job, applied } = await store.suspendJob(id, clock.now(), `Suspended by ${actorOf(caller)}: process stopped, its slot and VRAM stay reserved`);
      if (!applied) {
        attempt.resume();
        throw transitionRefused(job.status, 'suspend', id);
      }
      deps.onJobsChanged([job]);
      deps.onTransitions?.([{ job, from: 'running', to: job.status }]);
      dispatcher.requestDispatch(); // re-explain waits: the slot stays taken
      return { id, status: job.status };
    },

    async resumeJob({ id }, caller) {
      const current = await requireJob(store, id);
      refusePartAction(current, 'be resumed');
      if (canTransition(current.status, 'resumeSuspended')) {
        // its stopped process lives on the node that runs it: only that node can continue it
        const attempt = dispatcher.attemptOf(id);
        if (!attempt) throw new AppError('INVALID_TRANSITION', `This job's process is suspended on node ${current.nodeId ?? 'another node'}; resume it through that node.`, { status: current.status, nodeId: current.nodeId });
        if (current.cancelRequestedAt !== null) throw beingCancelled(current, 'resume');
        // running only once the process has been continued
        attempt.resume();
        const { job, applied } = await store.resumeSuspendedJob(id, clock.now(), `Resumed by ${actorOf(caller)}: process continued`);
        if (!applied) {
          if (job.status === 'suspended' && job.cancelRequestedAt === null) attempt.suspend();
          throw transitionRefused(job.status, 'resumeSuspended', id);
        }
        deps.onJobsChanged([job]);
        deps.onTransitions?.([{ job, from: 'suspended', to: job.status }]);
        return { id, status: job.status };
      }
      const job = await transition(id, 'resume', { logLine: `Resumed by ${actorOf(caller)}` });
      await deps.segments?.resume(job, actorOf(caller));
      dispatcher.requestDispatch();
      return { id, status: job.status };
    },

    async setJobPriority({ id, priority }, caller) {
      const before = await requireJob(store, id);
      refusePartAction(before, 'change priority');
      const at = clock.now();
      const { job, applied } = await store.setPriority(id, priority, at);
      if (!applied) throw transitionRefused(job.status, 'setPriority', id);
      if (before.priority !== priority) await store.appendLogs([{ jobId: id, at, text: `Priority changed from ${before.priority} to ${priority} by ${actorOf(caller)}` }]);
      deps.onJobsChanged([job]);
      await deps.segments?.setPriority(job, priority);
      dispatcher.requestDispatch();
      return toJobView(job, await store.queuePosition(id));
    },
  };
}

/** Jobs name videos by id; each must exist when the job is created (the processor resolves its path when it runs). */
async function requireReferencedVideos(videos: VideoStore, params: Record<string, unknown>): Promise<void> {
  const ids = [params.videoId, ...(Array.isArray(params.videoIds) ? params.videoIds : [])].filter((v): v is string => typeof v === 'string');
  for (const id of new Set(ids)) {
    if (!(await videos.getVideo(id))) throw new AppError('UNKNOWN_VIDEO', `No video with id ${id} in the library.`, { videoId: id });
  }
}

function beingCancelled(job: JobRecord, verb: string): AppError {
  return new AppError('INVALID_TRANSITION', `Cannot ${verb} a job that is being cancelled (its process is stopping).`, { status: job.status, cancelling: true, jobId: job.id });
}

/**
 * The handlers of the operations table: what each operation does with the store and the
 * dispatcher. Inputs arrive already validated against the operation's input schema.
 */
import type { JobTransition } from './transitions';
import type { z } from 'zod';
import { OPERATIONS, type OperationName, type OperationOutput } from '../../shared/contracts/operations';
import { WAITING_STATUSES, type ResourceCategory } from '../../shared/domain/statuses';
import type { SystemExtras } from '../../shared/contracts/system';
import type { Fleet } from '../../shared/contracts/fleet';
import type { Job } from '../../shared/contracts/job';
import { isSegmentChild } from '../../shared/domain/job-types';
import { availableParallelism, loadavg } from 'node:os';
import { AppError } from '../../shared/contracts/errors';
import type { Caller } from '../../shared/contracts/access';
import { canTransition, TRANSITIONS, transitionRefused, type ManualAction } from '../core/lifecycle';
import type { Clock, JobRecord, JobStore } from '../core/ports';
import type { CapacityState } from './capacity-state';
import { buildNewJob, type JobTypeCatalog } from './create-job';
import { GroupCommit } from './group-commit';
import { vramCeiling, type NodeBudget } from '../core/vram-ceiling';
import type { Dispatcher } from './dispatcher';
import { renderLog, toJobView } from './job-view';
import { withFiles } from './job-files';
import { toVideoView } from './video-view';
import type { VideoStore } from '../core/library-ports';
import type { AnalysisStore } from '../core/analysis-ports';
import type { LibraryWatcher } from './library-watcher';
import { watchHandlers } from './watch-operations';
import { transcodeHandlers } from './transcode-operations';
import type { TranscodeOperations } from '../processors/transcode/transcode-service';
import { oneJobStatusCounts } from './segments/one-job-stats';
import { refusePartAction } from './segments/part-actions';
import type { SegmentCascade } from './segments/segment-cascade';
import { unavailablePipelineHandlers, type PipelineHandlers } from './pipelines/pipeline-operations';

type Input<N extends OperationName> = z.infer<(typeof OPERATIONS)[N]['input']>;
/** Each handler gets its validated input and who asked (recorded on jobs and in their logs). */
export type OperationHandlers = { [N in OperationName]: (input: Input<N>, caller: Caller) => Promise<OperationOutput<N>> };

/** How a log line names who acted: `grafana (operate)`, `desktop (admin)`. */
export function actorOf(caller: Caller): string {
  return `${caller.name} (${caller.role})`;
}

export interface OperationDeps {
  readonly store: JobStore;
  readonly videos: VideoStore;
  /** Analysis results; absent in runtimes built without one (their reads answer NOT_FOUND). */
  readonly analysis?: AnalysisStore;
  readonly dispatcher: Dispatcher;
  readonly capacity: CapacityState;
  readonly catalog: JobTypeCatalog;
  readonly clock: Clock;
  readonly maxLogLines: number;
  /** Called with every job a user's action changed, so events and metrics follow. */
  readonly onJobsChanged: (jobs: readonly JobRecord[], created?: boolean) => void;
  /** The status transitions this node's operations made (created, paused, resumed, retried, cancelled at once …), for metrics. */
  readonly onTransitions?: (transitions: readonly JobTransition[]) => void;
  readonly systemExtras: () => SystemExtras;
  /** Reads a (small) library file by library-relative path; absent where there is no library. */
  readonly readLibraryFile?: (relativePath: string, maxBytes: number) => Promise<Buffer>;
  readonly nodeId: string;
  /** Whether other nodes share the store (fleet mode): store-wide counts are then not this node's. */
  readonly sharedStore: boolean;
  /** The nodes sharing this queue (this one alone when embedded). */
  readonly listNodes: () => Promise<Fleet>;
  /** The library watcher (GET/PUT /api/media/watch); null where the runtime has no library. */
  readonly watcher?: LibraryWatcher | null;
  /** The pipeline operations (runtime/pipelines); absent where the runtime has no pipeline store. */
  readonly pipelineHandlers?: PipelineHandlers | undefined;
  /** Library transcoding: results, savings, restore, and the create-time loop breaker (409 ALREADY_PROCESSED). */
  readonly transcode?: TranscodeOperations | undefined;
  /** Segmented encodes (#20): the parent's actions cascade to its parts, its view aggregates them; absent without a segment store. */
  readonly segments?: SegmentCascade | undefined;
}

/** Added by runtime/queue-control.ts (which extends some of these too). */
type QueueControlOperation = 'drainQueue' | 'getSchedules' | 'setSchedules';
/** Served by the notifier (runtime/notifications). */
type NotificationOperation = 'getNotifications' | 'setNotifications' | 'testNotification' | 'listNotificationDeliveries';
/** Served by runtime/settings-operations.ts (live runtime settings, export/import). */
type SettingsOperation = 'getSettings' | 'setSettings' | 'exportSettings' | 'importSettings';

export function createOperationHandlers(deps: OperationDeps): Omit<OperationHandlers, QueueControlOperation | NotificationOperation | SettingsOperation> {
  const { store, dispatcher, capacity, clock } = deps;

  const decorate = <V extends Job>(views: V[]): Promise<V[]> => (deps.segments ? deps.segments.decorate(views) : Promise.resolve(views));

  async function fullLog(job: JobRecord): Promise<string> {
    const { lines, dropped } = await store.readLog(job.id, 0, deps.maxLogLines);
    return renderLog(lines, dropped);
  }

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

  const queueState = () => ({
    paused: capacity.queueFlags.queuePaused,
    pausedCategories: [...capacity.queueFlags.pausedCategories],
    limits: { ...capacity.categoryLimits() },
    vramBudgetMb: capacity.vramBudgetMb(),
  });

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
      return { ...view!, log: await fullLog(job) };
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
      return { id, status: job.status, retryCount: job.retryCount, retryAfter: null, log: await fullLog(job) };
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
      return { id, status: job.status, cancelling, log: await fullLog(job) };
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

    async listVideos({ page, limit, ...filter }) {
      const { rows, total } = await deps.videos.listVideos(filter, (page - 1) * limit, limit);
      // the page's tags in one query, not one request per row
      const tags = deps.analysis ? await deps.analysis.tagsOfVideos(rows.map((v) => v.id)) : null;
      const data = rows.map((v) => (tags ? { ...toVideoView(v), tags: tags.get(v.id) ?? [] } : toVideoView(v)));
      return { data, pagination: { page, limit, total, totalPages: Math.ceil(total / limit) } };
    },

    async getVideo({ id }) {
      const video = await deps.videos.getVideo(id);
      if (!video) throw new AppError('NOT_FOUND', `No video with id ${id}.`, { videoId: id });
      if (!deps.analysis) return toVideoView(video);
      return { ...toVideoView(video), tags: (await deps.analysis.tagsOfVideos([id])).get(id) ?? [] };
    },

    async getSystemInfo() {
      const counts = await store.countJobs();
      const limits = capacity.categoryLimits();
      const usage = dispatcher.localUsage();
      // this node's slots: on a shared (fleet) store the counts are the whole fleet's, so only what runs here
      const slot = (c: ResourceCategory) => ({ running: deps.sharedStore ? usage.running[c] : Math.max(usage.running[c], counts.runningByCategory[c]), limit: limits[c] });
      return {
        nodeId: deps.nodeId,
        ...deps.systemExtras(),
        cpu: { cores: availableParallelism(), loadAverage: loadavg() },
        vramBudgetMb: capacity.vramBudgetMb(),
        vramReservedMb: deps.sharedStore ? usage.vramReservedMb : counts.vramReservedMb,
        slots: { cpu: slot('cpu'), gpu_encode: slot('gpu_encode'), gpu_ai: slot('gpu_ai') },
        queue: { paused: capacity.queueFlags.queuePaused, pausedCategories: [...capacity.queueFlags.pausedCategories] },
      };
    },

    async getVideoThumbnail({ id }) {
      const video = await deps.videos.getVideo(id);
      if (!video) throw new AppError('NOT_FOUND', `No video with id ${id}.`, { videoId: id });
      if (!video.thumbnailPath || !deps.readLibraryFile) throw new AppError('NOT_FOUND', `Video ${id} has no thumbnail yet (run thumbnail_generate).`, { videoId: id });
      const bytes = await deps.readLibraryFile(video.thumbnailPath, 2 * 1024 * 1024).catch(() => {
        throw new AppError('NOT_FOUND', `The thumbnail file ${video.thumbnailPath} is missing.`, { videoId: id });
      });
      return { videoId: id, path: video.thumbnailPath, dataUrl: `data:image/jpeg;base64,${bytes.toString('base64')}` };
    },

    async listScenes({ id }) {
      if (!(await deps.videos.getVideo(id))) throw new AppError('NOT_FOUND', `No video with id ${id}.`, { videoId: id });
      const scenes = deps.analysis ? await deps.analysis.listScenes(id) : [];
      const first = scenes[0];
      return {
        videoId: id,
        jobId: first?.jobId ?? null,
        analysedAt: first ? new Date(first.createdAt).toISOString() : null,
        scenes: scenes.map(({ index, startSeconds, endSeconds, score, motion, keyframePath, clipPath }) => ({ index, startSeconds, endSeconds, score, motion, keyframePath, clipPath })),
      };
    },

    async getJobSegments({ id }) {
      const set = deps.analysis ? await deps.analysis.getSegments(id) : undefined;
      if (!set) throw new AppError('NOT_FOUND', `Job ${id} stored no segments (only digest_generate, highlight_generate and clip_generate do).`, { jobId: id });
      return { jobId: set.jobId, videoId: set.videoId, kind: set.kind, createdAt: new Date(set.createdAt).toISOString(), segments: set.segments.map((s) => ({ ...s })) };
    },

    async getQueueState() {
      return queueState();
    },

    async listNodes() {
      return deps.listNodes();
    },

    async pauseQueue({ category }) {
      await capacity.setPaused(true, category);
      dispatcher.requestDispatch();
      return queueState();
    },

    async resumeQueue({ category }) {
      await capacity.setPaused(false, category);
      dispatcher.requestDispatch();
      return queueState();
    },

    ...watchHandlers(deps.watcher ?? null),
    ...transcodeHandlers(deps.transcode),
    ...(deps.pipelineHandlers ?? unavailablePipelineHandlers()),
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

async function requireJob(store: JobStore, id: string): Promise<JobRecord> {
  const job = await store.getJob(id);
  if (!job) throw new AppError('NOT_FOUND', `No job with id ${id}.`, { jobId: id });
  return job;
}

/**
 * The job detail panel: one job (getJob, with its queue position), its log (getJobLog, then
 * `job.log` events appended live) and, while it runs, its console: the server's replay of it
 * (getJobConsole) and then the raw `job.console` chunks, for a terminal emulator to draw (\r
 * redraws, erase-in-line and cursor moves as a terminal does). A long stream is folded into a new
 * replay (lib/terminal-buffer.ts) so the feed stays bounded.
 *
 * Events that arrive while the initial log is loading are held and then appended, minus those the
 * loaded lines already contain, so a line is neither lost nor shown twice; so are the lines that
 * arrived in the seconds before the job was opened (recent-log-lines.ts says why).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MediaEvent } from '../../../shared/contracts/events';
import type { Job, JobDetail, JobLogLine } from '../../../shared/contracts/job';
import { isFinalStatus, isLiveStatus, WAITING_STATUSES } from '../../../shared/domain/statuses';
import { errorMessage } from '../api/api-error';
import type { MediaClient } from '../api/media-client';
import { realTimers, type Timers } from '../lib/batcher';
import { serializeTerminal, terminalFromLines, writeTerminal } from '../lib/terminal-buffer';
import { linesAfterLoad } from './log-merge';
import { RecentLogLines } from './recent-log-lines';

export const MAX_LOG_LINES = 10_000;
const LOG_PAGE = 5000;

export interface LogState {
  readonly lines: readonly JobLogLine[];
  /** Lines the server dropped from the middle to keep the log bounded, plus any dropped here. */
  readonly dropped: number;
  readonly nextAfter: number;
  readonly loading: boolean;
  readonly error: string | null;
}

/** What a terminal emulator is fed: `base` once, then each chunk in order. */
export interface ConsoleFeed {
  /** Changes when the console is (re)loaded or folded: a viewer starts over from `base`. */
  readonly generation: number;
  readonly base: string;
  readonly chunks: readonly string[];
  /** Lines no longer in the feed (dropped by the server's buffer or when folding). */
  readonly dropped: number;
}

/** Raw text kept before the feed is folded into a new base. */
export const MAX_FEED_CHARS = 256 * 1024;
let generations = 0;

export function feedOf(base: string, chunks: readonly string[] = [], dropped = 0): ConsoleFeed {
  const size = base.length + chunks.reduce((n, c) => n + c.length, 0);
  if (size <= MAX_FEED_CHARS) return { generation: (generations += 1), base, chunks, dropped };
  let terminal = writeTerminal(terminalFromLines([]), base);
  for (const chunk of chunks) terminal = writeTerminal(terminal, chunk);
  return { generation: (generations += 1), base: serializeTerminal(terminal), chunks: [], dropped: dropped + terminal.dropped };
}

function appendChunk(feed: ConsoleFeed | null, text: string): ConsoleFeed {
  if (feed === null) return feedOf(text);
  const size = feed.base.length + feed.chunks.reduce((n, c) => n + c.length, 0) + text.length;
  return size > MAX_FEED_CHARS ? feedOf(feed.base, [...feed.chunks, text], feed.dropped) : { ...feed, chunks: [...feed.chunks, text] };
}

export interface ConsoleState {
  readonly feed: ConsoleFeed | null;
  /** The tool is running in this process (else the console is what was last seen). */
  readonly running: boolean;
  readonly loading: boolean;
  readonly error: string | null;
}

export interface JobDetailState {
  readonly jobId: string | null;
  readonly job: JobDetail | null;
  readonly loading: boolean;
  readonly error: string | null;
  readonly log: LogState;
  readonly console: ConsoleState;

  open(id: string): void;
  close(): void;
  reloadJob(): Promise<void>;
  applyEvents(events: readonly MediaEvent[]): void;
}

const EMPTY_LOG: LogState = { lines: [], dropped: 0, nextAfter: 0, loading: false, error: null };
const EMPTY_CONSOLE: ConsoleState = { feed: null, running: false, loading: false, error: null };

export type JobDetailStore = StoreApi<JobDetailState>;

export interface JobDetailStoreOptions {
  /** Least time between two re-reads of a waiting job (its queue position moves as others run). */
  readonly refreshEveryMs?: number;
  readonly timers?: Timers;
}

function appendLines(log: LogState, added: readonly JobLogLine[]): LogState {
  if (added.length === 0) return log;
  const lines = [...log.lines, ...added];
  const excess = lines.length - MAX_LOG_LINES;
  return {
    ...log,
    lines: excess > 0 ? lines.slice(excess) : lines,
    dropped: log.dropped + Math.max(0, excess),
    nextAfter: added[added.length - 1]!.line,
  };
}

export function createJobDetailStore(client: MediaClient, options: JobDetailStoreOptions = {}): JobDetailStore {
  const timers = options.timers ?? realTimers;
  const refreshEveryMs = options.refreshEveryMs ?? 2000;
  /** Log events held while the initial log loads (null when not loading). */
  let heldLog: Array<{ at: string; text: string }> | null = null;
  const recentLog = new RecentLogLines();
  /** Loads started (opens); an answer to an older one is dropped. */
  let logLoads = 0;
  let consoleLoads = 0;
  let heldConsole: string[] | null = null;
  let refreshTimer: unknown = null;
  let lastRefreshAt = 0;
  /** getJob requests in flight, and whether the job changed (an event) while one was. */
  let jobReads = 0;
  let changedDuringRead = false;

  return createStore<JobDetailState>()((set, get) => {
    const isCurrent = (id: string) => get().jobId === id;

    const loadLog = async (id: string) => {
      // a later open (or a close) makes this load's answer and its held lines someone else's: the
      // load number alone says whether the answer is still the open job's
      const load = (logLoads += 1);
      const seeded = recentLog.of(id, timers.now());
      heldLog = [];
      set({ log: { ...EMPTY_LOG, loading: true } });
      try {
        let after = 0;
        let lines: JobLogLine[] = [];
        let dropped = 0;
        for (let page = 0; page < 10; page += 1) {
          const chunk = await client.call('getJobLog', { id, after, limit: LOG_PAGE });
          if (load !== logLoads) return;
          lines = lines.concat(chunk.lines);
          dropped = chunk.dropped;
          after = chunk.nextAfter;
          if (chunk.lines.length < LOG_PAGE) break;
        }
        const fresh = linesAfterLoad(lines, after, seeded, heldLog ?? []);
        heldLog = null;
        const base: LogState = { lines: lines.slice(-MAX_LOG_LINES), dropped: dropped + Math.max(0, lines.length - MAX_LOG_LINES), nextAfter: after, loading: false, error: null };
        set({ log: appendLines(base, fresh) });
      } catch (error) {
        if (load !== logLoads) return;
        heldLog = null;
        set({ log: { ...EMPTY_LOG, error: errorMessage(error) } });
      }
    };

    const loadConsole = async (id: string) => {
      const load = (consoleLoads += 1);
      heldConsole = [];
      set({ console: { ...get().console, loading: true, error: null } });
      try {
        const result = await client.call('getJobConsole', { id });
        if (load !== consoleLoads || !isCurrent(id)) return;
        // an older server sends lines only: without its cursor, start the live text on a new line
        const base = result.replay ?? (result.lines.length > 0 ? `${result.lines.join('\r\n')}\r\n` : '');
        const feed = feedOf(base, heldConsole ?? [], result.droppedLines);
        heldConsole = null;
        set({ console: { feed, running: result.running, loading: false, error: null } });
      } catch (error) {
        if (load !== consoleLoads) return;
        heldConsole = null;
        if (isCurrent(id)) set({ console: { ...get().console, loading: false, error: errorMessage(error) } });
      }
    };

    const scheduleJobRefresh = () => {
      if (refreshTimer !== null) return;
      const wait = Math.max(0, lastRefreshAt + refreshEveryMs - timers.now());
      refreshTimer = timers.setTimeout(() => {
        refreshTimer = null;
        lastRefreshAt = timers.now();
        void get().reloadJob();
      }, wait);
    };

    return {
      jobId: null,
      job: null,
      loading: false,
      error: null,
      log: EMPTY_LOG,
      console: EMPTY_CONSOLE,

      open(id) {
        if (get().jobId === id) return;
        changedDuringRead = false;
        set({ jobId: id, job: null, loading: true, error: null, log: EMPTY_LOG, console: EMPTY_CONSOLE });
        void get()
          .reloadJob()
          .then(() => {
            const job = get().job;
            // a live job (running, or suspended) has an attempt, and so a console
            if (job && isCurrent(id) && isLiveStatus(job.status)) void loadConsole(id);
          });
        void loadLog(id);
      },

      close() {
        logLoads += 1;
        consoleLoads += 1;
        heldLog = null;
        heldConsole = null;
        if (refreshTimer !== null) timers.clearTimeout(refreshTimer);
        refreshTimer = null;
        set({ jobId: null, job: null, loading: false, error: null, log: EMPTY_LOG, console: EMPTY_CONSOLE });
      },

      async reloadJob() {
        const id = get().jobId;
        if (!id) return;
        jobReads += 1;
        try {
          const job = await client.call('getJob', { id });
          if (!isCurrent(id)) return;
          set({ job, loading: false, error: null });
        } catch (error) {
          if (isCurrent(id)) set({ loading: false, error: errorMessage(error) });
        } finally {
          jobReads -= 1;
        }
        // an event of this job arrived while the server was answering: the answer may be older than
        // the event (a job that completed at once would stay "running"), so read it once more
        if (changedDuringRead && jobReads === 0 && isCurrent(id)) {
          changedDuringRead = false;
          await get().reloadJob();
        }
      },

      applyEvents(events) {
        const receivedAt = timers.now();
        for (const event of events) if (event.type === 'job.log') recentLog.add(event.jobId, event.at, event.text, receivedAt);
        const id = get().jobId;
        if (!id) return;
        let job: JobDetail | null = get().job;
        const added: Array<{ at: string; text: string }> = [];
        let consoleText = '';
        let othersMoved = false;
        let startedRunning = false;
        let ended = false;
        for (const event of events) {
          switch (event.type) {
            case 'job.updated':
            case 'job.created':
              if (event.job.id === id) {
                if (jobReads > 0) changedDuringRead = true;
                if (job && job.status !== 'running' && event.job.status === 'running') startedRunning = true;
                // it ended: read it again for what events leave out (the files it wrote)
                if (job && job.status !== event.job.status && isFinalStatus(event.job.status)) ended = true;
                // events carry no queuePosition: keep the last read's while the job still waits
                const kept = WAITING_STATUSES.includes(event.job.status) ? (job?.queuePosition ?? null) : null;
                const merged: Job = { ...event.job, queuePosition: event.job.queuePosition ?? kept };
                job = job ? { ...job, ...merged } : null;
              } else {
                othersMoved = true;
              }
              break;
            case 'job.progress':
              if (event.jobId === id && job && job.progress !== event.progress) job = { ...job, progress: event.progress };
              break;
            case 'job.log':
              if (event.jobId === id) added.push({ at: event.at, text: event.text });
              break;
            case 'job.console':
              if (event.jobId === id) consoleText += event.text;
              break;
            default:
              break;
          }
        }
        const patch: { -readonly [K in keyof JobDetailState]?: JobDetailState[K] } = {};
        if (job !== get().job) patch.job = job;
        if (added.length > 0) {
          if (heldLog !== null) heldLog.push(...added);
          else {
            const log = get().log;
            let next = log.nextAfter;
            patch.log = appendLines(
              log,
              added.map((a) => ({ line: (next += 1), at: a.at, text: a.text })),
            );
          }
        }
        if (consoleText) {
          if (heldConsole !== null) heldConsole.push(consoleText);
          else {
            const c = get().console;
            patch.console = { ...c, running: true, feed: appendChunk(c.feed, consoleText) };
          }
        }
        if (job && !isLiveStatus(job.status) && get().console.running) {
          patch.console = { ...(patch.console ?? get().console), running: false };
        }
        if (Object.keys(patch).length > 0) set(patch);
        if (startedRunning && get().console.feed === null && heldConsole === null) void loadConsole(id);
        if (ended) void get().reloadJob();
        const waiting = job && (job.status === 'pending' || job.status === 'queued');
        if (waiting && othersMoved) scheduleJobRefresh();
      },
    };
  });
}

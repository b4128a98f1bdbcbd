/**
 * ffmpeg through the process runner, with progress on its own channel: `-progress pipe:3` makes
 * ffmpeg write its key=value blocks to fd 3, which the runner opens as a pipe (pipes mode, see
 * process-runner.ts), while stderr stays the human console. Updates carry percent, ETA and speed,
 * throttled (ffmpeg-progress.ts).
 *
 * The final 100 is held back until the process has exited successfully: ffmpeg prints
 * `progress=end` on SIGINT and SIGTERM too, and a cancelled or failed run must never look finished.
 */
import {
  createProgressThrottle,
  FfmpegProgressParser,
  progressEtaSeconds,
  progressPercent,
  type FfmpegProgress,
  type ProgressThrottleOptions,
} from './ffmpeg-progress';
import { startProcess, type RunningProcess, type RunProcessOptions, type RunResult } from './process-runner';

export interface FfmpegProgressUpdate {
  readonly percent: number;
  readonly etaSeconds: number | null;
  readonly speed: number | null;
  readonly outTimeSeconds: number | null;
}

export interface StartFfmpegOptions extends Omit<RunProcessOptions, 'command' | 'args' | 'onFd3' | 'captureStdout' | 'console'> {
  readonly ffmpegPath: string;
  /** From a builder (ffmpeg-args.ts / compilation-args.ts); the progress options are added here. */
  readonly args: readonly string[];
  /** Expected output length, for the percent; null reports 0 until the successful end. */
  readonly durationSeconds: number | null;
  /** Throttled updates; 100 only after a successful exit. */
  readonly onProgress?: (update: FfmpegProgressUpdate) => void;
  readonly throttle?: ProgressThrottleOptions;
}

export interface FfmpegRunResult extends RunResult {
  /** The last progress block ffmpeg wrote (null if none). */
  readonly lastProgress: FfmpegProgress | null;
}

export interface RunningFfmpeg extends Omit<RunningProcess, 'result'> {
  readonly result: Promise<FfmpegRunResult>;
}

/**
 * The options that send machine-readable progress to fd 3. The human stats line (`frame=…
 * speed=…`, redrawn with `\r`) stays on stderr: it is what the live console shows while a job runs
 * (the console buffer collapses the redraws, and failure messages skip those lines).
 */
export function progressArgs(): string[] {
  return ['-progress', 'pipe:3', '-stats'];
}

export async function startFfmpeg(options: StartFfmpegOptions): Promise<RunningFfmpeg> {
  const { ffmpegPath, args, durationSeconds, onProgress, throttle: throttleOptions, ...runOptions } = options;
  const parser = new FfmpegProgressParser();
  const throttle = createProgressThrottle(throttleOptions);
  let lastProgress: FfmpegProgress | null = null;
  let lastUpdate: FfmpegProgressUpdate | null = null;

  const running = await startProcess({
    ...runOptions,
    command: ffmpegPath,
    args: [...progressArgs(), ...args],
    onFd3: (text) => {
      for (const block of parser.push(text)) {
        lastProgress = block;
        // Until the exit code is known, `end` counts as 99 at most.
        const percent = Math.min(99, progressPercent({ ...block, progress: 'continue' }, durationSeconds));
        const emitted = throttle(percent);
        lastUpdate = { percent, etaSeconds: progressEtaSeconds(block, durationSeconds), speed: block.speed, outTimeSeconds: block.outTimeSeconds };
        if (emitted !== null) onProgress?.({ ...lastUpdate, percent: emitted });
      }
    },
  });

  const result = running.result.then((outcome): FfmpegRunResult => {
    if (outcome.ok && throttle(100) !== null) {
      onProgress?.({ percent: 100, etaSeconds: 0, speed: lastUpdate?.speed ?? null, outTimeSeconds: lastUpdate?.outTimeSeconds ?? null });
    }
    return { ...outcome, lastProgress };
  });
  return {
    pid: running.pid,
    mode: running.mode,
    console: running.console,
    result,
    stdin: running.stdin,
    get suspended() {
      return running.suspended;
    },
    suspend: () => running.suspend(),
    resume: () => running.resume(),
    cancel: () => running.cancel(),
  };
}

/** Starts ffmpeg and waits for it. */
export async function runFfmpeg(options: StartFfmpegOptions): Promise<FfmpegRunResult> {
  return (await startFfmpeg(options)).result;
}

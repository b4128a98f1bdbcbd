/**
 * FFmpeg `-progress` protocol, pure: ffmpeg writes blocks of `key=value` lines, each block ending
 * with `progress=continue` or, once, `progress=end`. We parse blocks, turn them into a percent of
 * a known duration, an ETA from the reported speed, and throttle what we pass on to the job.
 *
 * Facts this code is shaped by (measured with ffmpeg 5.1):
 * - `out_time_ms` is in MICROseconds, like `out_time_us` (a historical misnomer); older builds
 *   only print `out_time_ms`, and some print `out_time` (HH:MM:SS.micro) alone.
 * - Early blocks can carry `N/A` or a huge negative time; both mean "not known yet".
 * - The output time runs past the probed duration (audio priming, rounding), so the percent is
 *   clamped to 0–99 until the tool says `progress=end`; only then is it 100.
 * - ffmpeg also prints `progress=end` when it stops on SIGTERM (it finishes the file cleanly), so
 *   a 100 here does not mean success: the runner's `cancelled` flag decides that.
 */

export interface FfmpegProgress {
  /** Seconds of output written so far; null while unknown. */
  readonly outTimeSeconds: number | null;
  /** Encoding speed as a multiple of real time (`1.5x` → 1.5); null while unknown. */
  readonly speed: number | null;
  readonly fps: number | null;
  readonly frame: number | null;
  readonly progress: 'continue' | 'end';
}

function parseNumber(value: string | undefined): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'N/A') return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

/** `HH:MM:SS.micro` (possibly negative, possibly N/A) → seconds, or null. */
export function parseClock(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /^(-?)(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(value.trim());
  if (!match) return null;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]);
  return match[1] === '-' ? -seconds : seconds;
}

function outTime(fields: ReadonlyMap<string, string>): number | null {
  const micros = parseNumber(fields.get('out_time_us')) ?? parseNumber(fields.get('out_time_ms'));
  const seconds = micros !== null ? micros / 1_000_000 : parseClock(fields.get('out_time'));
  // Negative or absurd values appear before the first packet is written.
  return seconds !== null && seconds >= 0 ? seconds : null;
}

/** One block (the lines between two `progress=` lines) → a snapshot. */
export function parseProgressBlock(fields: ReadonlyMap<string, string>): FfmpegProgress {
  const speedText = fields.get('speed')?.trim();
  const speed = speedText ? parseNumber(speedText.replace(/x$/, '')) : null;
  return {
    outTimeSeconds: outTime(fields),
    speed: speed !== null && speed >= 0 ? speed : null,
    fps: parseNumber(fields.get('fps')),
    frame: parseNumber(fields.get('frame')),
    progress: fields.get('progress')?.trim() === 'end' ? 'end' : 'continue',
  };
}

/** Incremental parser: feed it chunks as they arrive (lines may be split across chunks). */
export class FfmpegProgressParser {
  private pending = '';
  private fields = new Map<string, string>();

  /** Returns every block completed by this chunk, oldest first. */
  push(chunk: string): FfmpegProgress[] {
    const blocks: FfmpegProgress[] = [];
    const lines = (this.pending + chunk).split(/\r?\n/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) {
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq).trim();
      this.fields.set(key, line.slice(eq + 1));
      if (key === 'progress') {
        blocks.push(parseProgressBlock(this.fields));
        this.fields = new Map();
      }
    }
    return blocks;
  }
}

/** Percent of `durationSeconds` done: 0–99 while running, 100 only on `progress=end`. */
export function progressPercent(snapshot: FfmpegProgress, durationSeconds: number | null): number {
  if (snapshot.progress === 'end') return 100;
  if (!durationSeconds || durationSeconds <= 0 || snapshot.outTimeSeconds === null) return 0;
  const percent = Math.floor((snapshot.outTimeSeconds / durationSeconds) * 100);
  return Math.min(99, Math.max(0, percent));
}

/** Seconds left at the current speed; null while speed or time is unknown. */
export function progressEtaSeconds(snapshot: FfmpegProgress, durationSeconds: number | null): number | null {
  if (snapshot.progress === 'end') return 0;
  if (!durationSeconds || snapshot.outTimeSeconds === null || !snapshot.speed || snapshot.speed <= 0) return null;
  return Math.max(0, durationSeconds - snapshot.outTimeSeconds) / snapshot.speed;
}

export interface ProgressThrottleOptions {
  /** Emit when the percent grew by at least this much since the last emit (default 5). */
  readonly minStepPercent?: number;
  /** …or when this long passed since the last emit and the percent grew at all (default 1000). */
  readonly minIntervalMs?: number;
  readonly now?: () => number;
}

/**
 * Returns `offer(percent)`: the value to report, or null to stay quiet. Emits at most every
 * `minStepPercent` or `minIntervalMs`, whichever comes first; never goes backwards; always emits
 * the final 100 exactly once.
 */
export function createProgressThrottle(options: ProgressThrottleOptions = {}): (percent: number) => number | null {
  const step = options.minStepPercent ?? 5;
  const interval = options.minIntervalMs ?? 1000;
  const now = options.now ?? Date.now;
  let last = -1;
  let lastAt = -Infinity;
  return (percent) => {
    const value = Math.min(100, Math.max(0, Math.floor(percent)));
    if (value <= last) return null;
    const t = now();
    if (value === 100 || last < 0 || value - last >= step || t - lastAt >= interval) {
      last = value;
      lastAt = t;
      return value;
    }
    return null;
  };
}

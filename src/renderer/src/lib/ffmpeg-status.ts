/**
 * Speed, frame rate and ETA of a running job, read from what the UI already receives: ffmpeg's own
 * status line in the live console (`frame= 120 fps= 48 … time=00:00:04.00 … speed=1.9x`, redrawn
 * with `\r`) and the job's progress. The ETA comes from the speed and the input's duration when
 * both are known, else from the progress made since the job started.
 */
export interface FfmpegStatus {
  readonly fps: number | null;
  readonly speed: number | null;
  /** Seconds of output written (the `time=` field). */
  readonly outTimeSeconds: number | null;
}

const FIELD = (name: string) => new RegExp(`${name}=\\s*([^\\s]+)`);

function clock(text: string): number | null {
  const m = /^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  if (!m) return null;
  const s = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return m[1] === '-' ? null : s;
}

function num(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number.parseFloat(text);
  return Number.isFinite(n) ? n : null;
}

/** The last status line in a chunk of console text; null when it holds none. */
export function parseFfmpegStatus(text: string): FfmpegStatus | null {
  const segments = text.split(/[\r\n]+/);
  for (let i = segments.length - 1; i >= 0; i -= 1) {
    const line = segments[i]!;
    if (!/\bspeed=|\bframe=.*\btime=/.test(line)) continue;
    const speed = FIELD('speed').exec(line)?.[1];
    const time = FIELD('time').exec(line)?.[1];
    return {
      fps: num(FIELD('fps').exec(line)?.[1]),
      speed: speed && speed !== 'N/A' ? num(speed.replace(/x$/, '')) : null,
      outTimeSeconds: time ? clock(time) : null,
    };
  }
  return null;
}

export interface EtaInput {
  readonly progress: number;
  readonly startedAt: string | null;
  readonly now: number;
  readonly status?: FfmpegStatus | null;
  readonly durationSeconds?: number | null;
}

/** Seconds left, or null while nothing says. */
export function estimateEta({ progress, startedAt, now, status, durationSeconds }: EtaInput): number | null {
  if (status?.speed && status.speed > 0 && status.outTimeSeconds !== null && durationSeconds && durationSeconds > status.outTimeSeconds) {
    return (durationSeconds - status.outTimeSeconds) / status.speed;
  }
  if (!startedAt || progress <= 0 || progress >= 100) return null;
  const elapsed = (now - Date.parse(startedAt)) / 1000;
  if (!Number.isFinite(elapsed) || elapsed <= 0) return null;
  return (elapsed * (100 - progress)) / progress;
}

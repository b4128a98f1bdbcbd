/**
 * Runtime configuration from the environment (the contract in ARCHITECTURE.md), with per-user
 * defaults so that the bare command works on a new machine.
 */
import { homedir, hostname, platform } from 'node:os';
import { join } from 'node:path';
import type { ResourceCategory } from '../../shared/domain/statuses';
import { DEFAULT_CATEGORY_LIMITS, type CategoryLimits } from '../core/capacity';
import { DEFAULT_RETRY_POLICY, type RetryPolicyConfig } from '../core/retry-policy';
import { DEFAULT_CLEANER_CONFIG, type CleanerConfig } from './cleaner';
import { loadWatchDefaults } from './watch-config';
import type { WatchSettings } from '../../shared/contracts/watch';

export interface RuntimeConfig {
  readonly dataDir: string;
  readonly libraryPath: string;
  /** SQLite file of the embedded default. */
  readonly databaseFile: string;
  readonly nodeId: string;
  readonly limits: CategoryLimits;
  /** MEDIA_TOTAL_VRAM_MB: a declared budget that overrides telemetry. */
  readonly declaredVramMb: number | null;
  /** Kept free for the desktop and other programs when the budget comes from telemetry. */
  readonly vramHeadroomMb: number;
  readonly retryPolicy: RetryPolicyConfig;
  /** A running job with no sign of life for this long is stopped and retried. */
  readonly hangTimeoutMs: number;
  /** After this long waiting for VRAM, a job's VRAM is held for it against lower-ranked jobs. */
  readonly starvationGuardMs: number;
  /** How often buffered progress and log lines are written. */
  readonly reportFlushMs: number;
  /** How long a stopped job's processor gets to end before its slot is freed regardless. */
  readonly stopGraceMs: number;
  /** DATABASE_URL: fleet mode on this PostgreSQL database instead of the SQLite file. */
  readonly databaseUrl: string | null;
  readonly fleet: FleetConfig;
  /** Retention: how long ended jobs are kept, and the cleaner's schedule (runtime/cleaner.ts). */
  readonly retention: CleanerConfig;
  /** Days a replaced original stays in the library's .quarantine/ before it is deleted (MEDIA_QUARANTINE_DAYS). */
  readonly quarantineDays: number;
  /** The library watcher's settings until others are saved (MEDIA_WATCH*, runtime/watch-config.ts). */
  readonly watch: WatchSettings;
  /** MEDIA_START_PAUSED=1: the queue is paused when this node starts (resume it to start jobs). */
  readonly startPaused?: boolean;
  /** MEDIA_NVENC_SESSIONS: concurrent NVENC sessions per GPU; absent/null: by card class (core/gpu-classes.ts). */
  readonly nvencSessions?: number | null;
}

export interface FleetConfig {
  /** A running job's lease: a node silent for this long loses its jobs to the rescuer. */
  readonly leaseMs: number;
  /** Heartbeat and lease renewal interval. */
  readonly heartbeatMs: number;
  /** How often each node sweeps for expired leases. */
  readonly sweepMs: number;
  /** Polling backstop of the LISTEN/NOTIFY wake-ups. */
  readonly pollMs: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function defaultDataDir(env: Env = process.env): string {
  const home = homedir();
  if (platform() === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'media-job-control');
  if (platform() === 'darwin') return join(home, 'Library', 'Application Support', 'media-job-control');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'media-job-control');
}

function intFromEnv(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of at least ${min} (got "${raw}").`);
  }
  return value;
}

export function loadConfig(env: Env = process.env, overrides: Partial<RuntimeConfig> = {}): RuntimeConfig {
  const dataDir = env.MEDIA_DATA_DIR || defaultDataDir(env);
  const limit = (cat: ResourceCategory, name: string) => intFromEnv(env, name, DEFAULT_CATEGORY_LIMITS[cat], 0);
  const declared = env.MEDIA_TOTAL_VRAM_MB;
  return {
    dataDir,
    libraryPath: env.MEDIA_LIBRARY_PATH || join(homedir(), 'MediaLibrary'),
    databaseFile: join(dataDir, 'media-jobs.db'),
    nodeId: env.MEDIA_NODE_ID || hostname(),
    limits: { cpu: limit('cpu', 'MEDIA_LIMIT_CPU'), gpu_encode: limit('gpu_encode', 'MEDIA_LIMIT_GPU_ENCODE'), gpu_ai: limit('gpu_ai', 'MEDIA_LIMIT_GPU_AI') },
    declaredVramMb: declared === undefined || declared === '' ? null : intFromEnv(env, 'MEDIA_TOTAL_VRAM_MB', 0, 0),
    vramHeadroomMb: intFromEnv(env, 'MEDIA_VRAM_HEADROOM_MB', 512),
    retryPolicy: {
      baseDelayMs: intFromEnv(env, 'MEDIA_RETRY_BASE_MS', DEFAULT_RETRY_POLICY.baseDelayMs),
      maxDelayMs: intFromEnv(env, 'MEDIA_RETRY_MAX_MS', DEFAULT_RETRY_POLICY.maxDelayMs),
    },
    hangTimeoutMs: intFromEnv(env, 'MEDIA_HANG_TIMEOUT_MS', 5 * 60_000, 1000),
    starvationGuardMs: intFromEnv(env, 'MEDIA_STARVATION_GUARD_MS', 60_000),
    reportFlushMs: 200,
    stopGraceMs: 5_000,
    databaseUrl: env.DATABASE_URL || null,
    fleet: loadFleetConfig(env),
    retention: loadRetentionConfig(env),
    quarantineDays: intFromEnv(env, 'MEDIA_QUARANTINE_DAYS', 7, 0),
    watch: loadWatchDefaults(env),
    startPaused: flagFromEnv(env, 'MEDIA_START_PAUSED'),
    nvencSessions: env.MEDIA_NVENC_SESSIONS ? intFromEnv(env, 'MEDIA_NVENC_SESSIONS', 0, 1) : null,
    ...overrides,
  };
}

function flagFromEnv(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new Error(`${name} must be 0 or 1 (got "${raw}").`);
}

function loadFleetConfig(env: Env): FleetConfig {
  const leaseMs = intFromEnv(env, 'MEDIA_LEASE_MS', 30_000, 1_000);
  const heartbeatMs = intFromEnv(env, 'MEDIA_HEARTBEAT_MS', Math.max(100, Math.floor(leaseMs / 6)), 50);
  if (heartbeatMs * 2 > leaseMs) {
    throw new Error(`MEDIA_HEARTBEAT_MS (${heartbeatMs}) must be at most half of MEDIA_LEASE_MS (${leaseMs}), or one late heartbeat loses every lease.`);
  }
  return {
    leaseMs,
    heartbeatMs,
    sweepMs: intFromEnv(env, 'MEDIA_LEASE_SWEEP_MS', Math.max(100, Math.floor(leaseMs / 6)), 50),
    pollMs: intFromEnv(env, 'MEDIA_POLL_MS', 2_000, 50),
  };
}

function loadRetentionConfig(env: Env): CleanerConfig {
  const d = DEFAULT_CLEANER_CONFIG;
  const intervalMs = intFromEnv(env, 'MEDIA_CLEAN_INTERVAL_MS', d.intervalMs, 1_000);
  return {
    ...d,
    completedDays: intFromEnv(env, 'MEDIA_RETAIN_COMPLETED_DAYS', d.completedDays, 0),
    failedDays: intFromEnv(env, 'MEDIA_RETAIN_FAILED_DAYS', d.failedDays, 0),
    intervalMs,
    firstRunDelayMs: Math.min(d.firstRunDelayMs, intervalMs),
    batchSize: intFromEnv(env, 'MEDIA_CLEAN_BATCH', d.batchSize, 1),
  };
}
